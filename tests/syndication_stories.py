"""A story carried by three outlets with small edits, and a different report of the same event.

Used by tests/test_syndication.py and bench/syndication.py: the wire original, a repost with
an edited headline and a changed word, a copy with a local paragraph added and the credit
line moved, and an independent report of the same strike that shares its facts, not its
sentences.
"""

from newsite_server import Story

WIRE = Story("Ferry crews strike over pay, stranding thousands", (
    "Ferry crews on the northern routes walked out on Monday in a dispute over pay, stranding thousands of "
    "passengers at Harwick harbour, the seafarers' union said.",
    "\"We have been patient for two years and our members cannot pay their bills,\" said union leader Agnes "
    "Morrow, who called the strike after talks with the operator broke down on Sunday night.",
    "The operator, Northern Isles Shipping, said it had offered a 4% rise and accused the union of refusing "
    "to put the offer to a vote of its members.",
    "About 6,000 passengers a day use the routes in summer. Islanders said shops on the outer islands would run "
    "short of fresh food within three days if the boats did not sail.",
    "The transport minister, Ian Calder, urged both sides to return to talks and said the government would not "
    "step in to run the ferries.",
    "Reporting by Wire Service staff."), "2005-06-06")

REPOST = Story("Thousands stranded as ferry crews walk out", (  # edited headline, one word changed
    WIRE.paragraphs[0].replace("walked out", "went on strike"),) + WIRE.paragraphs[1:], "2005-06-06")

LOCAL = Story("Ferry strike: what it means for Harwick", WIRE.paragraphs[:4] + (
    "Harwick's harbour master said cars were being turned away from the terminal car park by mid-morning, and "
    "the town's two hotels were full by lunchtime.",) + WIRE.paragraphs[4:5] + (
    "This article first appeared on Wire Service and is republished with permission.",), "2005-06-07")

OTHER_REPORT = Story("Islands brace for food shortages as ferry strike bites", (
    "Shopkeepers on the outer islands began rationing milk and bread on Tuesday, the second day of a strike "
    "by ferry crews that has halted every sailing from Harwick.",
    "Agnes Morrow, who leads the seafarers' union, told a rally at the harbour that the crews would stay out "
    "until the operator improved its pay offer, now worth 4% over one year.",
    "\"Nobody wants the islands to go hungry, but the company has left us no choice,\" Morrow said to cheers.",
    "A spokesman for Northern Isles Shipping said the company was ready to meet the union at any time and "
    "had asked the arbitration service to help.",
    "Ian Calder, the transport minister, is due to meet island councillors on Wednesday."), "2005-06-07")
