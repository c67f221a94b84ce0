from test_honesty import ASKED, CASES
from qabot.evaluation.honesty import ask_against_retrieval, run, FALSE_ANSWER, NOT_FOUND


def test_print_figures(bbc_library):
    t = run(bbc_library, CASES)
    print("\nFIGURES FA %.3f (%d) NF %.3f (%d) right %d" % (t.false_answer_rate(), t.count(FALSE_ANSWER, t.unanswerable_kinds),
          t.false_not_found_rate(), t.count(NOT_FOUND, t.answerable_kinds), t.count("right")))
    print("MISSES", [m[:2] for m in t.misses if m[1] != "wrong"])
    a, b = ask_against_retrieval(bbc_library, ASKED)
    print("ASK", len(a), "TOP1", len(b))
