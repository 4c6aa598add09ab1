#!/usr/bin/env python3
"""What the command-line language test reads in a command's output (tests/cli/language.sh).

  language_words.py zh FILE   the English words a zh-CN output shows (ids and codes aside)
  language_words.py en FILE   the Chinese sentences an English output shows

LANGUAGE_DATA (words separated by spaces) names what the test itself gave: user names, folder
names, option values. They are taken out of the text first.

Prints what it found, one per line, and exits 1 when it found any. The rules are those of the
browser test's (tests/browser/language.mjs), so that a page and the command line are held to the
same bar.
"""
import os
import re
import sys

# Latin words a zh-CN output may show besides ids and codes: the product's name, acronyms Chinese
# users write in Latin letters too, and the values a user types as options (methods, kinds of
# identifier), which the output shows as the user typed them.
ALLOWED = {
    "fanzha", "API", "CSV", "PDF", "URL", "QQ", "ID", "IP", "SHA", "STIX", "JSON", "HTML", "SQLite",
    "XLSX", "UTC", "CNY", "CPU", "RFC", "USDT", "OTC", "HMAC", "NATS", "JetStream", "GB", "T", "ISO", "camt",
    "fifo", "lifo", "haircut", "poison",
}

# Words that only a Chinese sentence has: full-width punctuation, and the domain's words. Data
# (names, institutions, regions, narratives) has none of the words; a sentence has one of either.
CHINESE_SENTENCE = re.compile(r"[，。：；（）、]|案件|账户|冻结|止付|预警|线索|团伙|资金|流水|用户|指令")


FILE_NAME = re.compile(r"\S+\.(?:csv|jsonl|json|db|html|md|pdf|xml|txt|key|heads)\b")


def english_words(text):
    for word in os.environ.get("LANGUAGE_DATA", "").split():
        text = re.sub(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", " ", text)
    s = re.sub(r"\b[a-z][a-z0-9+.-]*://\S+", " ", text, flags=re.I)  # URLs
    s = re.sub(r"\b(?:GET|POST|PUT|PATCH|DELETE) /\S*", " ", s)  # a request, as sent
    s = re.sub(r"'[^'\n]*'|“[^”\n]*”|\"[^\"\n]*\"", " ", s)  # values quoted as the user gave them
    s = re.sub(r"可选[ ：:][^）)\n]*", " ", s)  # the codes a field takes, listed to type
    # A field's name before its error in Chinese ("amount：不是金额").
    s = re.sub(r"(?<![\w.])(?!error\b)[a-z_][a-z0-9_.\[\]]*(?=[:：]\s*[^\x00-\x7f])", " ", s)
    s = re.sub(r"\S+/(?=\s|$)", " ", s, flags=re.M)  # folder names
    s = re.sub(r"\S+@\S+", " ", s)  # e-mail addresses
    s = re.sub(r"(?<![\w-])--?[a-z][\w-]*", " ", s)  # options (--db), as typed
    s = re.sub(r"\bfanzha(?: +[a-z][\w-]*)+", " ", s)  # a command line
    s = FILE_NAME.sub(" ", s)
    words = set()
    for token in re.split(r"[\s\u3000-\u303f\uff00-\uffef·•…—–,;()\[\]/=:]+", s):
        if re.search(r"\d", token) or re.search(r"[A-Za-z][._][A-Za-z]", token) or token.startswith("."):
            continue  # ids, codes, numbers, money, times, accounts; domain and file names, .cn; keys
        for w in re.findall(r"[A-Za-z]+", token):
            if w not in ALLOWED:
                words.add(w)
    return sorted(words)


def chinese_lines(text):
    lines = (FILE_NAME.sub(" ", line) for line in text.splitlines())
    return [line.strip() for line in lines if CHINESE_SENTENCE.search(line)]


def main():
    mode, path = sys.argv[1], sys.argv[2]
    text = open(path, encoding="utf-8").read()
    found = english_words(text) if mode == "zh" else chinese_lines(text)
    for f in found:
        print(f)
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
