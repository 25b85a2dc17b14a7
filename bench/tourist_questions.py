"""The whole assistant asked the tourist questions and conversations of ``bot/eval/tourists``.

A real Rasa server with the trained model, the real action server and the guide's
``POST /api/chat`` on a fresh copy of the shipped sites, as in the end-to-end tests. Each
question is asked in a new conversation (after its context messages) from a page in
``page_lang``; each conversation's turns are asked in order in one conversation, and each
turn is judged like a question. An answer is right when all of these hold:

- **language**: the reply is in the question's language (the reply's ``lang``);
- **understood**: the assistant did not log the question as unanswered, unless it should
  not answer it (``not_covered``, ``out_of_scope``);
- **site**: when the question is about a site, the reply names it (any of its names);
- **facts**: every ``must_mention`` figure is in the reply as a whole number (digits
  compared without thousands separators; a decimal comma is a decimal point; "15" is not
  found in "150") or, below a thousand, spelled out in the reply's language as the set's
  README allows (num2words: "thirty-nine", "ba mươi chín", 三十九); a province in any of
  the forms the set's README accepts.

    .venv/bin/python -m bench.tourist_questions [--limit N]

writes ``bot/results/tourist_questions.md`` (rates per language and kind) and
``tourist_questions.json`` (every answer and what it missed). The set was written apart
from the assistant's training data and must never be trained on.
"""

import argparse
import json
import re
import sys
import tempfile
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient
from num2words import num2words

from api.app import create_app
from api.settings import Settings
from bench import servers
from bot.cli import MODELS_DIR, RASA
from sites_data.activity import ActivityLog
from sites_data.db import Database, upgrade
from sites_data.files import read_site_files
from sites_data.languages import LANGUAGE_CODES
from sites_data.schema import Site
from sites_data.store import SiteStore
from sites_data.textnorm import fold

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "bot" / "eval" / "tourists" / "questions.yml"
CONVERSATIONS = ROOT / "bot" / "eval" / "tourists" / "conversations.yml"
RESULTS = ROOT / "bot" / "results"
CHAT_TIMEOUT_S = 60.0
# Questions the guide should decline rather than answer from its texts.
DECLINED = frozenset({"not_covered", "out_of_scope"})
CHECKS = ("language", "understood", "site", "facts")
SPELLED_BELOW = 1000  # numbers the texts may spell out
RUSSIAN_CASES = ("nominative", "genitive", "dative", "instrumental", "prepositional")
# The local forms of province names the set's README accepts besides the Vietnamese one.
PROVINCE_FORMS = {
    "Gia Lai": ("嘉莱", "자라이", "잘라이", "ザライ", "Зялай", "Гиалай"),
    "Khánh Hòa": ("庆和", "카인호아", "칸호아", "カインホア", "Кханьхоа"),
    "Lâm Đồng": ("林同", "럼동", "ラムドン", "Ламдонг"),
}


def _digits(text: str) -> str:
    """Numbers without thousands separators, a decimal comma as a point: "20.000" → "20000"."""
    text = re.sub(r"(?<=\d)[.,\s\u00a0\u202f](?=\d{3}(?!\d))", "", text)
    return re.sub(r"(?<=\d),(?=\d)", ".", text)


def _mentions(reply: str, fact: str, lang: str) -> bool:
    if any(char.isdigit() for char in fact):
        number = re.escape(_digits(fact))
        if re.search(rf"(?<![\d.]){number}(?!\d|\.\d)", _digits(reply)):
            return True
        if not (fact.isdigit() and int(fact) < SPELLED_BELOW):
            return False
        return any(spelled in reply for spelled in _spelled(int(fact), lang))
    forms = (fact, *PROVINCE_FORMS.get(fact, ()))
    return any(fold(form) in fold(reply) for form in forms)


def _spelled(number: int, lang: str) -> list[str]:
    """``number`` in words; Chinese numerals are written as Japanese ones (三十九); Russian
    in each of its cases ("около двадцати")."""
    if lang == "ru":
        return [str(num2words(number, lang="ru", case=case)) for case in RUSSIAN_CASES]
    return [str(num2words(number, lang="ja" if lang == "zh" else lang))]


def _names(site: Site) -> set[str]:
    names = {fold(name) for name in site.names.values()}
    names |= {fold(alias) for aliases in site.aliases.values() for alias in aliases}
    return {name for name in names if name}


def _judge(
    item: dict[str, Any], reply: dict[str, Any], unanswered: bool, sites: dict[str, Site]
) -> dict[str, bool]:
    expect = item["expect"]
    text = "\n".join(message["text"] for message in reply["messages"])
    checks = {
        "language": reply["lang"] == item["lang"],
        "understood": unanswered == (expect["kind"] in DECLINED),
        "site": True,
        "facts": all(
            _mentions(text, str(fact), item["lang"]) for fact in expect.get("must_mention") or []
        ),
    }
    key = expect.get("site")
    if key and expect["kind"] not in DECLINED | {"festival"}:
        folded = fold(text)
        checks["site"] = any(name in folded for name in _names(sites[key]))
    return checks


def _ask(
    chat: TestClient, activity: ActivityLog, item: dict[str, Any], sites: dict[str, Site]
) -> dict[str, Any]:
    """Ask one question in a new conversation (after its context) and judge the answer."""
    sender = f"eval-{uuid.uuid4().hex[:12]}"
    for earlier in item.get("context") or []:
        chat.post(
            "/api/chat", json={"sender": sender, "message": earlier, "lang": item["page_lang"]}
        )
    return _turn(chat, activity, item, sites, sender)


def _converse(
    chat: TestClient,
    activity: ActivityLog,
    conversation: dict[str, Any],
    sites: dict[str, Site],
) -> list[dict[str, Any]]:
    """Ask a conversation's turns in order, as one visitor; judge each turn."""
    sender = f"eval-{uuid.uuid4().hex[:12]}"
    results = []
    for number, turn in enumerate(conversation["turns"], start=1):
        item = {"id": f"{conversation['id']}/{number}", "page_lang": conversation["page_lang"]}
        item |= turn
        results.append(_turn(chat, activity, item, sites, sender))
    return results


def _turn(
    chat: TestClient,
    activity: ActivityLog,
    item: dict[str, Any],
    sites: dict[str, Site],
    sender: str,
) -> dict[str, Any]:
    before = len(activity.questions())
    body = {"sender": sender, "message": item["text"], "lang": item["page_lang"]}
    response = chat.post("/api/chat", json=body)
    unanswered = len(activity.questions()) > before
    if response.status_code == 200:
        reply = response.json()
        checks = _judge(item, reply, unanswered, sites)
    else:
        reply = {"lang": None, "messages": [], "status": response.status_code}
        checks = dict.fromkeys(CHECKS, False)
    return {
        "id": item["id"],
        "lang": item["lang"],
        "kind": item["expect"]["kind"],
        "text": item["text"],
        "right": all(checks.values()),
        "checks": checks,
        "reply": reply,
    }


def _report(results: list[dict[str, Any]], title: str, source: str) -> list[str]:
    by_lang: dict[str, Counter[str]] = defaultdict(Counter)
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for result in results:
        for table, name in ((by_lang, result["lang"]), (by_kind, result["kind"])):
            table[name]["asked"] += 1
            table[name]["right"] += result["right"]
            for check in CHECKS:
                table[name][check] += result["checks"][check]
    right = sum(result["right"] for result in results)
    lines = [
        f"## {title}",
        "",
        f"{right} of {len(results)} answered right ({right / len(results):.1%}); "
        f"the set is `{source}`.",
        "",
    ]
    for title, table, order in (
        ("language", by_lang, [code for code in LANGUAGE_CODES if code in by_lang]),
        ("kind", by_kind, sorted(by_kind)),
    ):
        lines += [f"| {title} | asked | right | " + " | ".join(CHECKS) + " |"]
        lines += ["|---|---:|---:|" + "---:|" * len(CHECKS)]
        for name in order:
            row = table[name]
            rates = " | ".join(f"{row[check] / row['asked']:.0%}" for check in CHECKS)
            lines.append(
                f"| {name} | {row['asked']} | {row['right'] / row['asked']:.0%} | {rates} |"
            )
        lines.append("")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="only the first N questions and conversations")
    limit = parser.parse_args().limit
    if not RASA.exists() or not any(MODELS_DIR.glob("*.tar.gz")):
        sys.exit("Rasa or its trained model is missing: run `make setup`")
    items: list[dict[str, Any]] = yaml.safe_load(QUESTIONS.read_text("utf-8"))[:limit]
    conversations: list[dict[str, Any]] = yaml.safe_load(CONVERSATIONS.read_text("utf-8"))
    conversations = conversations[:limit]
    sites = {site.key: site for site in read_site_files()}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        database_url = f"sqlite:///{root / 'guide.db'}"
        database = Database.open(database_url)
        upgrade(database.engine)
        SiteStore(database).load(sites.values())
        activity = ActivityLog(database)
        try:
            with servers.assistant(database_url, root) as rasa_url:
                settings = Settings(
                    database_url=database_url, rasa_url=rasa_url, chat_timeout_s=CHAT_TIMEOUT_S
                )
                with TestClient(create_app(settings)) as chat:
                    results = [_ask(chat, activity, item, sites) for item in items]
                    turns = [
                        result
                        for conversation in conversations
                        for result in _converse(chat, activity, conversation, sites)
                    ]
        finally:
            database.dispose()
    RESULTS.mkdir(parents=True, exist_ok=True)
    everything = results + turns
    right = sum(result["right"] for result in everything)
    report = "\n".join(
        [
            "# Tourists' questions and conversations, end to end",
            "",
            f"**{right} of {len(everything)} answered right ({right / len(everything):.1%})**: "
            f"{len(results)} questions and the {len(turns)} turns of "
            f"{len(conversations)} conversations.",
            "",
            *_report(everything, "All", "both"),
            *_report(results, "Questions", "bot/eval/tourists/questions.yml"),
            *_report(turns, "Conversation turns", "bot/eval/tourists/conversations.yml"),
        ]
    )
    (RESULTS / "tourist_questions.md").write_text(report + "\n", "utf-8")
    (RESULTS / "tourist_questions.json").write_text(
        json.dumps(everything, ensure_ascii=False, indent=1), "utf-8"
    )
    print(report)


if __name__ == "__main__":
    main()
