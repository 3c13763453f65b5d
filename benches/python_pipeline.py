#!/usr/bin/env python3
"""The same pipeline as candor, in Python with PyYAML and Jinja2: the
benchmark's point of comparison.

    python3 benches/python_pipeline.py check REPO
    python3 benches/python_pipeline.py build REPO --out DIR

It does the work a plain template pipeline would do for candor's two
default documents: parse every case and principle, resolve every reference
(library principles, sources, findings, the earlier case an update
updates), project an internal and a public view (public items only, labels
P1/F1/A1 and footnotes numbered public first), render the employee memo and
the public statement through Jinja2 templates equivalent to candor's
built-in ones, with every printed value escaped for markdown and the blank
lines tidied, and write each file atomically, leaving a file whose content
is unchanged untouched. `check` does all of it but the writing.

It does less than candor — no located diagnostics, no date or coverage
rules, no lint of the rendered markdown, no leak search, no manifest, no
incremental rebuild — so the comparison flatters Python. It uses libyaml's
C loader when PyYAML has it, as a team chasing speed would.
"""

import argparse
import datetime
import os
import re
import sys

import jinja2
import markupsafe
import yaml

try:
    Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    Loader = yaml.SafeLoader

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]

ALWAYS = set("\\`*[]<>#|~&$")


def escape_markdown(value):
    """candor's markdown escape: fold white space, keep paragraphs, escape
    what would start markup."""
    if isinstance(value, markupsafe.Markup):
        return value
    if value is None:
        return ""
    text = str(value)
    out = []
    for paragraph in text.split("\n\n"):
        words = " ".join(paragraph.split())
        if not words:
            continue
        chars = words
        digits = len(chars) - len(chars.lstrip("0123456789"))
        starts_block = chars[:1] in ("-", "+", "=") or (
            digits > 0 and chars[digits:digits + 1] in (".", ")"))
        piece = []
        for i, c in enumerate(chars):
            before = chars[i - 1] if i > 0 else ""
            after = chars[i + 1] if i + 1 < len(chars) else ""
            needs = c in ALWAYS or (
                c == "_" and not (before.isalnum() and after.isalnum())) or (
                starts_block and ((i == 0 and not c.isdigit()) or (i == digits and i > 0)))
            if needs:
                piece.append("\\")
            piece.append(c)
        out.append("".join(piece))
    return "\n\n".join(out)


def tidy(rendered):
    """candor's tidy: no trailing spaces but hard breaks, one blank line at
    most, exactly one newline at the end."""
    out = []
    blank = 0
    for line in rendered.split("\n"):
        hard = line.endswith("  ") and line.strip()
        line = line if hard else line.rstrip()
        if not line:
            blank += 1
            if blank > 1 or not out:
                continue
        else:
            blank = 0
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


class Date:
    def __init__(self, raw):
        text = raw.isoformat() if isinstance(raw, (datetime.date, datetime.datetime)) else str(raw)
        self.approximate = text.startswith("~")
        parts = [int(p) for p in text.lstrip("~").split("-")]
        self.year, self.month, self.day = (parts + [None, None])[:3]

    def earliest(self):
        return (self.year, self.month or 1, self.day or 1)

    def view(self):
        if self.day:
            text = f"{self.day} {MONTHS[self.month - 1]} {self.year}"
        elif self.month:
            text = f"{MONTHS[self.month - 1]} {self.year}"
        else:
            text = str(self.year)
        if self.day:
            phrase = f"on or about {text}" if self.approximate else f"on {text}"
        else:
            phrase = f"in or around {text}" if self.approximate else f"in {text}"
        return {
            "iso": "-".join(f"{p:02d}" for p in (self.year, self.month, self.day) if p),
            "text": f"about {text}" if self.approximate else text,
            "phrase": phrase,
            "approximate": self.approximate,
        }


EVENTS = {
    "press-report": "{} published a press report",
    "complaint": "we received a complaint from {}",
    "audit": "{} completed an audit",
    "regulator-inquiry": "{} opened an inquiry",
    "internal-report": "{} raised an internal report",
    "research": "{} published research",
}


class Invalid(Exception):
    pass


def public(item):
    return item.get("visibility", "internal") == "public"


def labels(prefix, items):
    result = {}
    for item in [i for i in items if public(i)] + [i for i in items if not public(i)]:
        result.setdefault(item["id"], f"{prefix}{len(result) + 1}")
    return result


def resolve(case, library, cases):
    """Every reference of `case` resolved, or Invalid."""
    principles = []
    for entry in case.get("principles", []):
        if isinstance(entry, str):
            if entry not in library:
                raise Invalid(f"{case['id']}: no principle {entry}")
            principles.append(library[entry])
        else:
            principles.append(entry)
    ids = {p["id"] for p in principles}
    sources = {s["id"] for s in case.get("sources", [])}
    earlier = None
    if case.get("updates"):
        earlier = cases.get(case["updates"])
        if earlier is None:
            raise Invalid(f"{case['id']}: updates unknown case {case['updates']}")
        sources |= {s["id"] for s in earlier.get("sources", [])}
    findings = {f["id"] for f in case.get("findings", [])}
    for f in case.get("findings", []):
        for s in f.get("sources", []):
            if s not in sources:
                raise Invalid(f"{case['id']}: no source {s}")
    for a in case.get("actions", []):
        for p in a.get("principles", []) + [d["principle"] for d in a.get("departs_from", [])]:
            if p not in ids:
                raise Invalid(f"{case['id']}: no principle {p}")
        for f in a.get("findings", []):
            if f not in findings:
                raise Invalid(f"{case['id']}: no finding {f}")
    return principles, earlier


def project(case, principles, earlier, audience, settings, kind):
    """What a template may see of `case`: for a public document, public
    items only."""
    visible = (lambda item: True) if audience == "internal" else public
    p_labels = labels("P", principles)
    f_labels = labels("F", case.get("findings", []))
    a_labels = labels("A", case.get("actions", []))
    all_sources = case.get("sources", []) + (earlier.get("sources", []) if earlier else [])
    ordered = sorted(all_sources, key=lambda s: (not public(s), Date(s["date"]).earliest()))
    footnotes = {s["id"]: i + 1 for i, s in enumerate(ordered)}
    people = {p["id"]: p for p in settings.get("people", [])}

    vp = {p["id"]: p for p in principles if visible(p)}
    vs = {s["id"]: s for s in all_sources if visible(s)}
    vf = {f["id"] for f in case.get("findings", []) if visible(f)}

    def pref(pid):
        p = vp.get(pid)
        return p and {"id": pid, "label": p_labels[pid], "name": p.get("title") or p["statement"]}

    def sref(sid):
        s = vs.get(sid)
        return s and {"id": sid, "footnote": footnotes[sid], "publisher": s["publisher"],
                      "kind_words": s["kind"].replace("-", " ")}

    view = {
        "audience": audience,
        "organisation": settings.get("organisation", {"name": "The organisation"}),
        "document": {"kind": kind, "date": Date(case["date"]).view()},
        "case": {"id": case["id"], "title": case["title"], "summary": case["summary"],
                 "date": Date(case["date"]).view()},
        "spokesperson": people.get(case.get("spokesperson")),
        "principles": sorted(
            ({"id": p["id"], "label": p_labels[p["id"]], "title": p.get("title"),
              "statement": p["statement"], "basis": p.get("basis"),
              "since": Date(p["since"]).view() if p.get("since") else None}
             for p in vp.values()), key=lambda p: int(p["label"][1:])),
        "sources": sorted(
            ({"id": s["id"], "footnote": footnotes[s["id"]], "publisher": s["publisher"],
              "event": EVENTS.get(s["kind"], "{} sent us a report").format(s["publisher"]),
              "title": s.get("title"), "url": s.get("url"), "claim": s["claim"],
              "date": Date(s["date"]).view()} for s in vs.values()),
            key=lambda s: s["footnote"]),
        "review": None,
        "findings": [],
        "actions": [],
        "declined": [],
        "update": None,
    }
    review = case.get("review")
    if review and visible(review):
        view["review"] = {
            "opened": Date(review["opened"]).view(),
            "conducted_by": review.get("conducted_by"),
            "state": review.get("state", "ongoing"),
            "examined": [e["what"] for e in review.get("examined", []) if visible(e)],
            "not_examined": [{"what": e["what"], "principle": pref(e.get("principle"))}
                             for e in review.get("not_examined", []) if visible(e)],
        }
    for f in case.get("findings", []):
        if visible(f):
            view["findings"].append({
                "id": f["id"], "label": f_labels[f["id"]], "statement": f["statement"],
                "bearing": f.get("bearing", "undetermined"), "evidence": f.get("evidence"),
                "known": f.get("known", True),
                "sources": sorted(filter(None, map(sref, f.get("sources", []))),
                                  key=lambda s: s["footnote"]),
            })
    view["findings"].sort(key=lambda f: int(f["label"][1:]))
    for a in case.get("actions", []):
        if not visible(a):
            continue
        action = {
            "id": a["id"], "label": a_labels[a["id"]], "statement": a["statement"],
            "state": a.get("state", "done"), "declined": a.get("state") == "declined",
            "reason": a.get("reason"),
            "effective": Date(a["effective"]).view() if a.get("effective") else None,
            "principles": sorted(filter(None, map(pref, a.get("principles", []))),
                                 key=lambda p: int(p["label"][1:])),
            "findings": sorted(({"id": f, "label": f_labels[f]} for f in a.get("findings", []) if f in vf),
                               key=lambda f: int(f["label"][1:])),
            "departs_from": [{"principle": pref(d["principle"]), "reason": d["reason"]}
                             for d in a.get("departs_from", []) if pref(d["principle"])],
            "constrained_by": list(filter(None, map(pref, a.get("constrained_by", [])))),
            "limits": a.get("limits", []),
        }
        view["actions"].append(action)
        if action["declined"]:
            view["declined"].append(action)
    view["actions"].sort(key=lambda a: int(a["label"][1:]))
    view["acknowledgements"] = [
        {"text": a["text"], "source": sref(a.get("source"))}
        for a in case.get("acknowledgements", []) if visible(a)]
    view["next_steps"] = [
        {"text": n["text"], "date": Date(n["date"]).view() if n.get("date") else None}
        for n in case.get("next_steps", []) if visible(n)]
    view["timeline"] = sorted(
        ({"date": Date(t["date"]).view(), "event": t["event"], "_key": Date(t["date"]).earliest()}
         for t in case.get("timeline", []) if visible(t)), key=lambda t: t["_key"])
    view["quotes"] = [
        {"text": q["text"], "by": people[q["by"]]["name"] if q.get("by") else view["organisation"]["name"],
         "by_title": people[q["by"]]["title"] if q.get("by") else None}
        for q in case.get("quotes", []) if visible(q)]
    internal = audience == "internal"
    view["talking_points"] = [t["text"] for t in case.get("talking_points", [])] if internal else []
    view["faq"] = case.get("faq", []) if internal else []
    view["contacts"] = case.get("contacts", []) if internal else []
    if earlier:
        view["update"] = {"earlier": {"title": earlier["title"], "date": Date(earlier["date"]).view()},
                          "changes": []}
    return view


class Citations:
    """cite() and footnotes(), as candor's helpers: labels, footnote
    markers, and the record of what was cited."""

    def __init__(self, view):
        self.citable = {}
        for family in ("principles", "findings", "actions"):
            for item in view[family]:
                self.citable[item["id"]] = item["label"]
        self.sources = {s["id"]: s for s in view["sources"]}
        self.cited = set()

    def cite(self, id):
        self.cited.add(id)
        if id in self.sources:
            return markupsafe.Markup(f"[^{self.sources[id]['footnote']}]")
        if id not in self.citable:
            raise Invalid(f"cite(): no item {id}")
        return markupsafe.Markup(self.citable[id])

    def footnotes(self):
        lines = []
        for s in sorted((self.sources[i] for i in self.cited if i in self.sources),
                        key=lambda s: s["footnote"]):
            line = f"[^{s['footnote']}]: {escape_markdown(upper_first(s['publisher']))}"
            if s["title"]:
                line += f", “{escape_markdown(s['title'])}”"
            line += f", {s['date']['text']}."
            if s["url"]:
                line += f" <{s['url']}>"
            lines.append(line)
        return markupsafe.Markup("\n".join(lines))


def upper_first(text):
    return text[:1].upper() + text[1:]


TEMPLATES = {
    "_action.md": """\
{%- for a in actions %}{% if not a.declined %}
- **{{ cite(a.id) }}.** {{ a.statement }}
{%- if a.state == "planned" %} *(Planned{% if a.effective %}, {{ a.effective.phrase }}{% endif %}.)*{% elif a.state == "in-progress" %} *(Under way{% if a.effective %} since {{ a.effective.text }}{% endif %}.)*{% elif a.effective %} *(Effective {{ a.effective.text }}.)*{% endif %}  
  *Why:* {% for p in a.principles %}{{ cite(p.id) }} ({{ p.name }}){% if not loop.last %}; {% endif %}{% endfor %}{% if a.principles and a.findings %}; {% endif %}{% for f in a.findings %}{{ cite(f.id) }}{% if not loop.last %}, {% endif %}{% endfor %}.
{%- if a.limits %}  
  *What this does not change:* {% for l in a.limits %}{{ l }}{% if not loop.last %} {% endif %}{% endfor %}
{%- endif %}
{%- for d in a.departs_from %}  
  *Exception:* this is an exception to {{ cite(d.principle.id) }} ({{ d.principle.name }}), which still stands. {{ d.reason }}
{%- endfor %}
{%- endif %}{% endfor %}
{% if declined %}
## What we declined to do

{% for a in declined %}
- **{{ cite(a.id) }}.** {{ a.statement }}  
  *We declined:* {{ a.reason }}
{%- endfor %}
{% endif %}
""",
    "_body.md": """\
{% if update %}
## What has changed since {{ update.earlier.date.phrase }}

This updates our communication of {{ update.earlier.date.text }}, “{{ update.earlier.title }}”.
{% endif %}

{{ case.summary }}

{% if principles %}
## The principles at stake

{% for p in principles %}
- **{{ cite(p.id) }}{% if p.title %} · {{ p.title }}{% endif %}.** {{ p.statement }}
{%- if p.basis %} *({{ p.basis }}{% if p.since %}; held since {{ p.since.text }}{% endif %})*{% endif %}
{%- endfor %}
{% endif %}

{% if sources %}
## What prompted the review

{% for s in sources %}
- {{ s.date.phrase | upper_first }}, {{ s.event }}{% if s.title %}, “{{ s.title }}”{% endif %}.{{ cite(s.id) }} In brief: {{ s.claim }}
{%- endfor %}
{% endif %}

{% if review %}
## How we reviewed it

We opened a review {{ review.opened.phrase }}{% if review.conducted_by %}, conducted by {{ review.conducted_by }}{% endif %}. {% if review.state == "ongoing" %}The review is continuing.{% else %}The review is complete.{% endif %}

{% if review.examined %}
The review examined:

{% for item in review.examined %}
- {{ item }}
{%- endfor %}
{% endif %}

{% if review.not_examined %}
It deliberately did not examine:

{% for item in review.not_examined %}
- {{ item.what }}{% if item.principle %}, because of {{ cite(item.principle.id) }} ({{ item.principle.name }}){% endif %}
{%- endfor %}
{% endif %}
{% endif %}
""",
    "employee-memo.md": """\
# {{ case.title }}

**To:** All employees of {{ organisation.name }}  
**From:** {% if spokesperson %}{{ spokesperson.name }}, {{ spokesperson.title }}{% else %}{{ organisation.name }}{% endif %}  
**Date:** {{ document.date.text }}  
**Internal:** not for distribution outside {{ organisation.name }}

{% include "_body.md" %}

{% if findings %}
## What the review found

{% for f in findings %}
- **{{ cite(f.id) }}.** {% if not f.known %}*Not yet known:* {% endif %}{{ f.statement }}{% for s in f.sources %}{{ cite(s.id) }}{% endfor %}
{%- if f.sources and f.bearing != "undetermined" %} *This {% if f.bearing == "supports" %}supports{% elif f.bearing == "contradicts" %}contradicts{% else %}neither confirms nor refutes{% endif %} the {% for s in f.sources %}{{ s.kind_words }} by {{ s.publisher }}{% if not loop.last %} and the {% endif %}{% endfor %}.*{% endif %}
{%- if f.evidence %}  
  *Evidence:* {{ f.evidence }}{% endif %}
{%- endfor %}
{% endif %}

{% if actions %}
## What we are doing
{% include "_action.md" %}
{% endif %}

{% for q in quotes %}
> “{{ q.text }}”  
> — {{ q.by }}{% if q.by_title %}, {{ q.by_title }}{% endif %}

{% endfor %}

{% if acknowledgements %}
## Thanks

{% for a in acknowledgements %}
{{ a.text }}{% if a.source %}{{ cite(a.source.id) }}{% endif %}

{% endfor %}
{% endif %}

{% if next_steps %}
## What happens next

{% for n in next_steps %}
- {% if n.date %}{{ n.date.phrase | upper_first }}: {% endif %}{{ n.text }}
{%- endfor %}
{% endif %}

{% if timeline %}
## Timeline

{% for t in timeline %}
- **{{ t.date.text | upper_first }}.** {{ t.event }}
{%- endfor %}
{% endif %}

{% if talking_points or faq or contacts %}
## For employees

{% if talking_points %}
If you are asked about this, you may say:

{% for t in talking_points %}
- {{ t }}
{%- endfor %}
{% endif %}

{% if faq %}
### Questions you may have

{% for q in faq %}
**{{ q.question }}**  
{{ q.answer }}

{% endfor %}
{% endif %}

{% if contacts %}
### Whom to ask

{% for c in contacts %}
- {{ c.topic | upper_first }}: {{ c.name }}, {{ c.reach }}
{%- endfor %}
{% endif %}
{% endif %}

{% if spokesperson %}
{{ spokesperson.name }}  
{{ spokesperson.title }}
{% endif %}

{{ footnotes() }}
""",
    "public-statement.md": """\
# {{ case.title }}

*{{ organisation.name }} · {{ document.date.text }}*

{% include "_body.md" %}

{% if findings %}
## What we found

{% for f in findings %}
- **{{ cite(f.id) }}.** {% if not f.known %}*Not yet known:* {% endif %}{{ f.statement }}{% for s in f.sources %}{{ cite(s.id) }}{% endfor %}
{%- endfor %}
{% endif %}

{% if actions %}
## What we have decided
{% include "_action.md" %}
{% endif %}

{% for q in quotes %}
> “{{ q.text }}”  
> — {{ q.by }}{% if q.by_title %}, {{ q.by_title }}{% endif %}

{% endfor %}

{% if acknowledgements %}
## Acknowledgements

{% for a in acknowledgements %}
{{ a.text }}{% if a.source %}{{ cite(a.source.id) }}{% endif %}

{% endfor %}
{% endif %}

{% if next_steps %}
## What happens next

{% for n in next_steps %}
- {% if n.date %}{{ n.date.phrase | upper_first }}: {% endif %}{{ n.text }}
{%- endfor %}
{% endif %}

{{ footnotes() }}
""",
}

KINDS = [("employee-memo", "internal"), ("public-statement", "public")]


def environment():
    """Templates compiled once, every printed value escaped for markdown."""
    env = jinja2.Environment(
        loader=jinja2.DictLoader(TEMPLATES),
        finalize=escape_markdown,
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["upper_first"] = lambda text: upper_first(str(text))
    return env


def load(repo):
    def read(path):
        with open(path, encoding="utf-8") as f:
            return yaml.load(f, Loader=Loader)

    settings_path = os.path.join(repo, "candor.yaml")
    settings = read(settings_path) if os.path.exists(settings_path) else {}
    library = {}
    folder = os.path.join(repo, "principles")
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if name.endswith((".yaml", ".yml")):
            principle = read(os.path.join(folder, name))
            library[principle["id"]] = principle
    cases = {}
    folder = os.path.join(repo, "cases")
    for name in sorted(os.listdir(folder)):
        if name.endswith((".yaml", ".yml")):
            case = read(os.path.join(folder, name))
            cases[case["id"]] = case
    return settings, library, cases


def render_all(repo):
    settings, library, cases = load(repo)
    env = environment()
    templates = {kind: env.get_template(f"{kind}.md") for kind, _ in KINDS}
    documents = []
    for case in cases.values():
        principles, earlier = resolve(case, library, cases)
        for kind, audience in KINDS:
            view = project(case, principles, earlier, audience, settings, kind)
            citations = Citations(view)
            text = templates[kind].render(view, cite=citations.cite, footnotes=citations.footnotes)
            documents.append((os.path.join(case["id"], f"{kind}.md"), tidy(text)))
    return documents


def write(out, documents):
    written = unchanged = 0
    for relative, text in documents:
        target = os.path.join(out, relative)
        data = text.encode("utf-8")
        try:
            with open(target, "rb") as f:
                if f.read() == data:
                    unchanged += 1
                    continue
        except FileNotFoundError:
            pass
        os.makedirs(os.path.dirname(target), exist_ok=True)
        temporary = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.{os.getpid()}.tmp")
        with open(temporary, "wb") as f:
            f.write(data)
        os.replace(temporary, target)
        written += 1
    return written, unchanged


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["check", "build"])
    parser.add_argument("repo")
    parser.add_argument("--out")
    args = parser.parse_args()
    try:
        documents = render_all(args.repo)
    except Invalid as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if args.command == "build":
        written, unchanged = write(args.out or os.path.join(args.repo, "out"), documents)
        print(f"built {len(documents)} documents; wrote {written} ({unchanged} unchanged)",
              file=sys.stderr)
    else:
        print(f"checked {len(documents)} documents", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
