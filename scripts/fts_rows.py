#!/usr/bin/env python3
"""The texts `wgrec index` puts in its search index for one meeting, as JSON rows (one per
session), so scripts/instructions.sh can load the same texts into an SQLite FTS5 table.

Standard library only, so the comparison needs no extra build. It follows src/snapshot.rs
(`load_meeting`), src/parse.rs (agenda-data, about pages, agenda documents) and src/index.rs
(`fill`) closely enough for a speed comparison; it is not a second parser to keep exact.

    python3 scripts/fts_rows.py SNAPSHOT_DIR MEETING > rows.json
"""

import json
import os
import sys
import unicodedata
from html.parser import HTMLParser

BLOCKS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "pre",
          "table", "section", "article", "blockquote", "dt", "dd"}
HIDDEN = {"script", "style", "nav", "head", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
MAX_TEXT = 2 << 20


def is_control(c):
    return unicodedata.category(c) == "Cc"


def clean_line(s):
    return "".join(" " if c in "\t\n\r" else c for c in s if c in "\t\n\r" or not is_control(c))


def clean_text(s):
    return "".join(" " if c == "\t" else c for c in s if c in "\t\n" or not is_control(c))


def fold(text):
    """Lines with whitespace folded, empty lines dropped (parse.rs `element_text`)."""
    lines = (clean_line(" ".join(l.split())) for l in text.split("\n"))
    return "\n".join(l for l in lines if l)


class Tree(HTMLParser):
    """A small element tree: (tag, attrs, children) with text children as str."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = ("#root", {}, [])
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        el = (tag, dict(attrs), [])
        self.stack[-1][2].append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1][2].append(data)


def parse(html):
    t = Tree()
    t.feed(html)
    t.close()
    return t.root


def walk(el):
    yield el
    for c in el[2]:
        if not isinstance(c, str):
            yield from walk(c)


def find(el, pred):
    return next((e for e in walk(el) if pred(e)), None)


def raw_text(el):
    out = []
    for c in el[2]:
        out.append(c if isinstance(c, str) else raw_text(c))
    return "".join(out)


def text_of(el):
    return clean_line(" ".join(raw_text(el).split())).strip()


def element_text(el):
    out = []

    def go(e, top):
        if not top:
            if e[0] in HIDDEN:
                return
            if e[0] in BLOCKS:
                out.append("\n")
        for c in e[2]:
            if isinstance(c, str):
                out.append(c + " ")
            else:
                go(c, False)
        if not top and e[0] in BLOCKS:
            out.append("\n")

    go(el, True)
    return fold("".join(out))


def charter(html):
    """The blocks after the "Charter for" h2 (else "Group description") up to the next h2."""
    doc = parse(html)
    content = find(doc, lambda e: e[1].get("id") == "content")
    if content is None:
        return None
    h2s = [e for e in walk(content) if e[0] == "h2"]
    heading = next((h for h in h2s if "Charter for" in text_of(h)), None) or next(
        (h for h in h2s if "Group description" in text_of(h)), None)
    if heading is None:
        return ""
    parent = find(content, lambda e: any(c is heading for c in e[2]))
    blocks, after = [], False
    for c in parent[2]:
        if c is heading:
            after = True
            continue
        if not after:
            continue
        if isinstance(c, str):
            block = clean_line(c).strip()
        elif c[0] == "h2":
            break
        else:
            block = element_text(c).strip()
        if block:
            blocks.append(block)
    return "\n\n".join(blocks).strip()


def meta(html):
    """The group's name and area name from the about page's table (parse.rs `about_page`)."""
    doc = parse(html)
    content = find(doc, lambda e: e[1].get("id") == "content")
    name, area = None, None
    if content is None:
        return name, area
    for row in (e for e in walk(content) if e[0] == "tr"):
        cells = [e for e in walk(row) if e[0] in ("th", "td")]
        labels = [text_of(c) for c in cells if c[0] == "th"]
        if "Name" in labels:
            name = text_of(cells[-1])
        elif "Area" in labels:
            value = text_of(cells[-1])
            area = value.rsplit("(", 1)[0].strip() if "(" in value else value
    return name, area or None


def document_text(data):
    s = data.decode("utf-8", "replace")
    head = s.lstrip()[:200].lower()
    if head.startswith("<!doctype html") or head.startswith("<html") or "<body" in head:
        doc = parse(s)
        root = find(doc, lambda e: e[1].get("id") == "content") or find(
            doc, lambda e: e[0] == "body") or doc
        return element_text(root)
    return clean_text(data[:MAX_TEXT].decode("utf-8", "replace"))


def url_path(url):
    if "://" in url:
        rest = url.split("://", 1)[1]
        rest = rest.split("/", 1)[1] if "/" in rest else ""
    elif url.startswith("/"):
        rest = url[1:]
    else:
        return None
    p = rest.split("?")[0].split("#")[0]
    return p or None


def read(snap, path):
    rel = path[:-1] + "/index.html" if path.endswith("/") else path
    if ".." in rel.split("/"):
        return None
    try:
        with open(os.path.join(snap, rel), "rb") as f:
            return f.read()
    except OSError:
        return None


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: fts_rows.py SNAPSHOT_DIR MEETING")
    snap, meeting = sys.argv[1], sys.argv[2]
    data = read(snap, f"api/meeting/{meeting}/agenda-data")
    if data is None:
        sys.exit(f"fts_rows.py: no api/meeting/{meeting}/agenda-data in {snap}")
    agenda = json.loads(data)
    sessions = sorted(agenda["schedule"], key=lambda it: (
        it.get("startDateTime", ""), it.get("groupAcronym") or it.get("acronym") or "",
        it.get("sessionId") or 0))
    groups, texts, seen, rows = {}, {}, {}, []
    for it in sessions:
        acr = (it.get("groupAcronym") or it.get("acronym") or "").strip()
        seen[acr] = seen.get(acr, 0) + 1
        if acr not in groups:
            html = read(snap, f"group/{acr}/about/")
            groups[acr] = None
            if html is not None:
                page = html.decode("utf-8", "replace")
                groups[acr] = (*meta(page), charter(page))
        name_on_page, area_name, charter_text = groups[acr] or (None, None, None)
        gname = name_on_page or (it.get("groupName") or "").strip() or acr
        sname = (it.get("name") or "").strip() or gname
        url = (it.get("agenda") or {}).get("url")
        p = url_path(url) if url else None
        if p and p not in texts:
            doc = read(snap, p)
            texts[p] = document_text(doc) if doc is not None else ""
        rows.append({
            "key": f"{meeting}-{acr}-{seen[acr]}",
            "acronym": acr.lower(),
            "group_name": gname,
            "session_name": "" if sname == gname else sname,
            "area_name": area_name or "",
            "charter": (charter_text or "").strip(),
            "agenda": texts.get(p, "").strip() if p else "",
            "note": clean_text(it.get("note") or "").strip(),
        })
    json.dump(rows, sys.stdout)


if __name__ == "__main__":
    main()
