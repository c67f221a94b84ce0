"""`qabot eval` on our news questions: BM25, dense and the hybrid at document level.

No public BEIR or SQuAD set is on this machine (and there is no network to fetch one), so
this writes the two retrieval question sets (tests/fixtures/questions/news_questions.jsonl
and retrieval_questions.jsonl, 76 questions) as a BEIR folder over the BBC corpus plus
the sample article, each question judged relevant to the article it was written from, and
runs the real `qabot eval --beir` on it: a throw-away index, the production pipeline, the
same table a user gets on SciFact or NQ.

    .venv/bin/python bench/eval_news.py [--precision int8]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from common import REPO, SAMPLE, WORK, require_bbc
from retrieval_quality import QUESTION_SETS, load_questions


def write_beir(folder) -> None:
    from qabot.sources.ingest import read_article_file

    bbc = require_bbc()
    files = {f"{p.parent.name}/{p.name}": p for p in sorted(bbc.glob("*/*.txt"))} | {"sample": SAMPLE}
    (folder / "qrels").mkdir(parents=True, exist_ok=True)
    with open(folder / "corpus.jsonl", "w", encoding="utf-8") as corpus:
        for doc_id, path in files.items():
            (article,) = read_article_file(path, path.parent)
            body = "\n\n".join(p.text for p in article.paragraphs)
            corpus.write(json.dumps({"_id": doc_id, "title": article.title, "text": body}, ensure_ascii=False) + "\n")
    questions = [q for path in QUESTION_SETS.values() for q in load_questions(path)]
    with open(folder / "queries.jsonl", "w", encoding="utf-8") as queries:
        for q in questions:
            queries.write(json.dumps({"_id": q["id"], "text": q["question"]}, ensure_ascii=False) + "\n")
    with open(folder / "qrels" / "test.tsv", "w", encoding="utf-8") as qrels:
        qrels.write("query-id\tcorpus-id\tscore\n")
        for q in questions:
            qrels.write(f"{q['id']}\t{q['file']}\t1\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--precision", choices=("fp32", "int8"), default=None,
                        help="override [model] precision of config.toml for this run")
    args = parser.parse_args()
    folder = WORK / "news-beir"
    write_beir(folder)
    qabot = [sys.executable, "-m", "qabot", "--config", str(REPO / "config.toml")]
    env = {**os.environ, **({"QABOT_MODEL__PRECISION": f'"{args.precision}"'} if args.precision else {})}
    done = subprocess.run([*qabot, "eval", "--beir", str(folder)], cwd=REPO, text=True, capture_output=True, env=env)
    sys.stdout.write(done.stdout)
    if done.returncode:
        sys.exit(done.stderr)


if __name__ == "__main__":
    main()
