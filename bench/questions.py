"""200 varied questions about the BBC News corpus, for bench/query_latency.py and cold_start.py.

Hand-written ones cover topics, paraphrases (few words shared with the text) and "when"
questions; the rest are drawn from the index itself so every kind the answerer
distinguishes is timed: "what did X say" for the most-quoted speakers, "who is X" for
described people, "what did X say about Y", and questions made from article titles.
"""

from __future__ import annotations

HAND_WRITTEN = (
    "What did Tony Blair say about the Iraq war?",
    "Why did Time Warner's profits rise?",
    "What happened to Yukos?",
    "How much will maternity pay rise?",
    "When will paid maternity leave increase to nine months?",
    "What did Gordon Brown say about the economy?",
    "Who won the Six Nations?",
    "What did Jose Mourinho say about Chelsea?",
    "How did Kelly Holmes do at the Olympics?",
    "What are the plans for identity cards?",
    "What did the Conservatives promise on immigration?",
    "When is the general election expected?",
    "Which films were nominated for the Oscars?",
    "Who won best actor at the Oscars?",
    "How many iPods did Apple sell?",
    "What did Sony say about the PlayStation Portable?",
    "Why are mobile phone companies worried about spam?",
    "How fast is broadband growing in the UK?",
    "What happened to the dollar against the euro?",
    "Why did oil prices rise?",
    "What did the Bank of England decide on interest rates?",
    "How are house prices changing?",
    "What is the hunting ban?",
    "Why did David Blunkett resign?",
    "What did Robert Kilroy-Silk say about the UK Independence Party?",
    "Who is the manager of Arsenal?",
    "What did Arsene Wenger say after the defeat?",
    "Did Wales win the Grand Slam?",
    "What happened in the Ukraine election?",
    "Why was Bernie Ebbers on trial?",
    "What did Deutsche Boerse offer for the London Stock Exchange?",
    "How did the Aviator do at the box office?",
    "Who directed Million Dollar Baby?",
    "What did Band Aid 20 raise money for?",
    "What did Microsoft say about security flaws?",
    "How do games consoles compare with PCs?",
    "What did the Lib Dems say about tuition fees?",
    "What did Charles Kennedy promise voters?",
    "Who is Michael Howard?",
    "When did Labour win its third term?",
    "Which company bought the football club?",
    "How much did the airline lose last year?",
    "Why did shares in the airline fall?",
    "What did critics say about the new album?",
    "Who won the Australian Open?",
    "What did Andy Roddick say about his serve?",
    "How did England do against France at Twickenham?",
    "What did the chancellor say in the budget?",
    "Why are pensions a worry for workers?",
    "What do teenagers use the internet for?",
    # Paraphrases: the answer shares few words with the question.
    "Which lawmaker quit over a visa for his lover's nanny?",
    "How many people lost their jobs at the car plant?",
    "What did the prime minister say about his future?",
    "Which singer topped the charts at Christmas?",
    "Did the runner break the world record indoors?",
    "What worries parents about children playing video games?",
    "Why did the Russian oil firm go bankrupt?",
    "How are thieves stealing personal data online?",
    "What did the head of the central bank warn about?",
    "Which striker scored twice in the cup tie?",
)

TITLE_FORMS = ("What happened with {}?", "Tell me about {}", "When was it reported that {}?")


def bbc_questions(snapshot, n: int = 200) -> list[str]:
    """`n` questions: the hand-written ones, then ones drawn from the snapshot, in a fixed order."""
    questions = list(HAND_WRITTEN)
    speakers = [r[0] for r in snapshot.query(
        "SELECT speaker FROM quotes WHERE speaker LIKE '% %' GROUP BY speaker ORDER BY count(*) DESC, speaker LIMIT 40")]
    described = [r[0] for r in snapshot.query(
        "SELECT name FROM descriptions WHERE name LIKE '% %' GROUP BY name ORDER BY count(*) DESC, name LIMIT 30")]
    titles = [r[0] for r in snapshot.query("SELECT title FROM articles ORDER BY id LIMIT 60")]
    topics = ("the economy", "the election", "the war", "the match", "the new law")
    questions += [f"What did {s} say?" for s in speakers]
    questions += [f"Who is {d}?" for d in described]
    questions += [f"What did {s} say about {topics[i % len(topics)]}?" for i, s in enumerate(speakers[:20])]
    questions += [TITLE_FORMS[i % len(TITLE_FORMS)].format(t.rstrip(".")) for i, t in enumerate(titles)]
    return questions[:n]
