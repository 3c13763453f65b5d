#!/usr/bin/env python3
"""The same pipeline as candor, in Python with PyYAML and Jinja2: the
benchmark's point of comparison.

    python3 benches/python_pipeline.py check REPO
    python3 benches/python_pipeline.py build REPO --out DIR

It does the work a plain template pipeline would do for candor's two
default documents: parse every case and principle, resolve every reference
(library principles, sources, findings, the earlier case an update
updates), project an internal and a public view (public items only, labels
P1/F1/A1 and footnotes numbered public, published, then by date), render
the employee memo and the public statement through candor's built-in
templates of the `brief` style, which Jinja2 reads as they are, with every
printed value escaped for markdown and the blank lines tidied, and write
each file atomically, leaving a file whose content is unchanged untouched.
`check` does all of it but the writing.

It covers what benches/generate.py writes, and on that corpus (whose
candor.yaml says `style: brief`) its documents are byte for byte candor's:
tests/python_pipeline.rs checks it. The default `letter` style would need
candor's own prose filters ported too, which is another program.

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

    def latest(self):
        month = self.month or 12
        if self.day:
            return (self.year, month, self.day)
        following = datetime.date(self.year + month // 12, month % 12 + 1, 1)
        return (self.year, month, (following - datetime.timedelta(days=1)).day)

    def certainly_before(self, other):
        return not self.approximate and not other.approximate and self.latest() < other.earliest()

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


def case_sources(case, earlier):
    """The sources a case may cite: its own, then those of the case it
    updates that its findings cite, public only where a public finding
    cites a public source."""
    own = case.get("sources", [])
    sources = list(own)
    for source in earlier.get("sources", []) if earlier else []:
        if any(s["id"] == source["id"] for s in own):
            continue
        citing = [f for f in case.get("findings", []) if source["id"] in f.get("sources", [])]
        if citing:
            shown = public(source) and any(public(f) for f in citing)
            sources.append(dict(source, visibility="public" if shown else "internal"))
    return sources


def project(case, principles, earlier, audience, settings, kind):
    """What a template may see of `case`: for a public document, public
    items only."""
    visible = (lambda item: True) if audience == "internal" else public
    p_labels = labels("P", principles)
    f_labels = labels("F", case.get("findings", []))
    a_labels = labels("A", case.get("actions", []))
    all_sources = case_sources(case, earlier)
    # Publications (with a title or an address) before what was only
    # received; a source of unknown date after the dated ones.
    ordered = sorted(all_sources, key=lambda s: (
        not public(s), not s.get("title") and not s.get("url"),
        Date(s["date"]).earliest() if s.get("date") else (65535, 0, 0)))
    footnotes = {s["id"]: i + 1 for i, s in enumerate(ordered)}
    people = {p["id"]: p for p in settings.get("people", [])}
    organisation = settings.get("organisation", {"name": "The organisation"})
    for named in settings.get("organisations", []):
        if named["id"] == case.get("organisation"):
            organisation = named
    as_of = Date(case["date"])

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

    def held(since):
        if isinstance(since, (int, datetime.date)) or re.fullmatch(r"~?\d{4}(-\d\d){0,2}", str(since)):
            return f"since {Date(since).view()['text']}"
        return str(since)

    def state(a):
        later = a.get("effective") and as_of.certainly_before(Date(a["effective"]))
        written = a.get("state", "done")
        return "planned" if later and written in ("done", "in-progress") else written

    view = {
        "audience": audience,
        "organisation": organisation,
        "document": {"kind": kind, "date": Date(case["date"]).view()},
        "case": {"id": case["id"], "title": case["title"], "summary": case["summary"],
                 "date": Date(case["date"]).view()},
        "spokesperson": people.get(case.get("spokesperson")),
        "principles": sorted(
            ({"id": p["id"], "label": p_labels[p["id"]], "title": p.get("title"),
              "statement": p["statement"], "basis": p.get("basis"),
              "held": held(p["since"]) if p.get("since") is not None else None}
             for p in vp.values()), key=lambda p: int(p["label"][1:])),
        "sources": sorted(
            ({"id": s["id"], "footnote": footnotes[s["id"]], "publisher": s["publisher"],
              "event": EVENTS.get(s["kind"], "{} sent us a report").format(s["publisher"]),
              "title": s.get("title"), "url": s.get("url"), "claim": s["claim"],
              "date": Date(s["date"]).view() if s.get("date") else None} for s in vs.values()),
            key=lambda s: s["footnote"]),
        "review": None,
        "findings": [],
        "actions": [],
        "declined": [],
        "update": None,
        "incident": None,
    }
    review = case.get("review")
    if review and visible(review):
        view["review"] = {
            "opened": Date(review["opened"]).view(),
            "conducted_by": as_list(review.get("conducted_by")),
            "state": review.get("state"),
            "examined": [e["what"] for e in review.get("examined", []) if visible(e)],
            "not_examined": [{"what": e["what"], "principle": pref(e.get("principle"))}
                             for e in review.get("not_examined", []) if visible(e)],
        }
    for f in case.get("findings", []):
        if visible(f):
            view["findings"].append({
                "id": f["id"], "label": f_labels[f["id"]], "statement": f["statement"],
                "public": public(f), "bearing": f.get("bearing"), "evidence": f.get("evidence"),
                "known": f.get("known", True),
                "sources": sorted({s["footnote"]: s for s in filter(None, map(sref, f.get("sources", [])))}.values(),
                                  key=lambda s: s["footnote"]),
                "revises": f.get("revises"), "known_raw": f.get("known", True),
            })
    view["findings"].sort(key=lambda f: int(f["label"][1:]))
    for a in case.get("actions", []):
        if not visible(a):
            continue
        action = {
            "id": a["id"], "label": a_labels[a["id"]], "statement": a["statement"],
            "public": public(a), "state": state(a), "declined": a.get("state") == "declined",
            "reason": a.get("reason"),
            "effective": Date(a["effective"]).view() if a.get("effective") else None,
            "principles": sorted(filter(None, map(pref, a.get("principles", []))),
                                 key=lambda p: int(p["label"][1:])),
            "findings": sorted(({"id": f, "label": f_labels[f]} for f in a.get("findings", []) if f in vf),
                               key=lambda f: int(f["label"][1:])),
            "sources": list(filter(None, map(sref, a.get("sources", [])))),
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
        ({"date": Date(t["date"]).view(), "event": t["event"], "_key": Date(t["date"]).latest()}
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
        old = {f["id"]: f for f in earlier.get("findings", []) if visible(f)}
        view["update"] = {
            "earlier": {"title": earlier["title"], "date": Date(earlier["date"]).view()},
            "changes": [{"before": old[f["revises"]]["statement"],
                         "before_known": old[f["revises"]].get("known", True),
                         "now": f["statement"], "now_known": f["known"]}
                        for f in view["findings"] if f["revises"] in old]}
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
            line += f", {s['date']['text']}." if s["date"] else "."
            if s["url"]:
                line += f" <{s['url']}>"
            lines.append(line)
        return markupsafe.Markup("\n".join(lines))


def upper_first(text):
    return text[:1].upper() + text[1:]


def as_list(value):
    """`conducted_by: Legal` and `conducted_by: [Legal, Security]` alike."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def join_and(words):
    """candor's `join_and` in British English: `A`, `A and B`, `A, B and C`;
    semicolons between items that hold commas."""
    words = [str(w) for w in words]
    if len(words) <= 2:
        return " and ".join(words)
    if any("," in w for w in words):
        return "; ".join(words[:-1]) + "; and " + words[-1]
    return ", ".join(words[:-1]) + " and " + words[-1]


# candor's built-in templates of the `brief` style (templates/*.brief.md and
# the partials they include), which are valid Jinja2 as they are written.
# tests/python_pipeline.rs checks that this pipeline's output is byte for
# byte candor's, so a change to either shows.
TEMPLATES = {
    "_update.md": """\
{#- How an update opens: what changed since the earlier communication, old
    and new side by side. Shared by every document of an update. -#}
{% if update %}
## What has changed since {{ update.earlier.date.text }}

This updates our communication of {{ update.earlier.date.text }}, “{{ update.earlier.title }}”.
{% if update.changes %}

{% for c in update.changes %}
- *Then:* {% if not c.before_known %}not yet known: {% endif %}{{ c.before }}  
  *Now:* {% if not c.now_known %}not yet known: {% endif %}{{ c.now }}
{%- endfor %}
{% endif %}
{% endif %}
""",
    "_action-notes.md": """\
{#- What every document says after an action: its limits, any exception to a
    standing principle, and the principles that bound it. Shared, so each is
    worded the same in every document. Expects the action as `a`. -#}
{%- if a.limits %}  
  *Limits:* {% for limit in a.limits %}{{ limit }}{% if not loop.last %} {% endif %}{% endfor %}
{%- endif %}
{%- for d in a.departs_from %}  
  *Exception:* this is an exception to {{ cite(id=d.principle.id) }} ({{ d.principle.name }}), which still stands. {{ d.reason }}
{%- endfor %}
{%- if a.constrained_by %}  
  *Bound by:* {% for p in a.constrained_by %}{{ cite(id=p.id) }} ({{ p.name }}){% if loop.index < loop.length - 1 %}, {% elif not loop.last %} and {% endif %}{% endfor %}.
{%- endif -%}
""",
    "employee-memo.md": """\
{#- The memo to employees: the whole case, internal items included. -#}
{% block header %}
# {{ case.title }}

**To:** All employees of {{ organisation.name }}  
**From:** {% if spokesperson %}{{ spokesperson.name }}, {{ spokesperson.title }}{% else %}{{ organisation.name }}{% endif %}  
**Date:** {{ document.date.text }}  
**Internal:** not for distribution outside {{ organisation.name }}

{% endblock header %}

{% block update %}
{% include "_update.md" %}
{% endblock update %}

{% block summary %}
{{ case.summary }}
{% endblock summary %}

{% block principles %}
{% if principles %}
## The principles at stake

{% for p in principles %}
- **{{ cite(id=p.id) }}{% if p.title %} · {{ p.title }}{% endif %}.** {{ p.statement }}
{%- if p.basis or p.held %} *({% if p.basis %}{{ p.basis }}{% endif %}{% if p.basis and p.held %}; {% endif %}{% if p.held %}held {{ p.held }}{% endif %})*{% endif %}
{%- endfor %}
{% endif %}
{% endblock principles %}

{% block sources %}
{% if sources %}
## What prompted the review

{% for s in sources %}
- {% if s.date %}{{ s.date.phrase | upper_first }}, {{ s.event }}{% else %}{{ s.event | upper_first }}{% endif %}{% if s.title %}, “{{ s.title }}”{% endif %}.{{ cite(id=s.id) }} In brief: {{ s.claim }}
{%- endfor %}
{% endif %}
{% endblock sources %}

{% block review %}
{% if review %}
## How we reviewed it

We opened a review {{ review.opened.phrase }}{% if review.conducted_by %}, conducted by {{ review.conducted_by | join_and }}{% endif %}. {% if review.state == "ongoing" %}The review is continuing.{% elif review.state == "concluded" %}The review is complete.{% endif %}

{% if review.examined %}
The review examined:

{% for item in review.examined %}
- {{ item }}
{%- endfor %}
{% endif %}

{% if review.not_examined %}
It deliberately did not examine:

{% for item in review.not_examined %}
- {{ item.what }}{% if item.principle %}, because of {{ cite(id=item.principle.id) }} ({{ item.principle.name }}){% endif %}
{%- endfor %}
{% endif %}
{% endif %}
{% endblock review %}

{% block findings %}
{% if findings %}
## What the review found

{% for f in findings %}
- **{{ cite(id=f.id) }}.**{% if not f.public %} *(Internal.)*{% endif %} {% if not f.known %}*Not yet known:* {% endif %}{{ f.statement }}{% for s in f.sources %}{{ cite(id=s.id) }}{% endfor %}
{%- if f.sources and f.bearing and f.bearing != "undetermined" %} *This {% if f.bearing == "supports" %}supports{% elif f.bearing == "contradicts" %}contradicts{% else %}neither confirms nor refutes{% endif %} the {% for s in f.sources %}{{ s.kind_words }} by {{ s.publisher }}{% if loop.index < loop.length - 1 %}, the {% elif not loop.last %} and the {% endif %}{% endfor %}.*{% endif %}
{%- if f.sources and f.bearing == "undetermined" %} *Whether this bears out the reporting is not yet determined.*{% endif %}
{%- if f.evidence %}  
  *Evidence:* {{ f.evidence }}{% endif %}
{%- endfor %}
{% endif %}
{% endblock findings %}

{% block actions %}
{% if actions %}
## What we are doing

{% for a in actions %}{% if not a.declined %}
- **{{ cite(id=a.id) }}.**{% if not a.public %} *(Internal.)*{% endif %} {{ a.statement }}
{%- if a.state == "planned" %} *(Planned{% if a.effective %}, {{ a.effective.phrase }}{% endif %}.)*{% elif a.state == "in-progress" %} *(Under way{% if a.effective %} since {{ a.effective.text }}{% endif %}.)*{% elif a.effective %} *(Effective {{ a.effective.text }}.)*{% endif %}  
  *Why:* {% for p in a.principles %}{{ cite(id=p.id) }} ({{ p.name }}){% if not loop.last %}; {% endif %}{% endfor %}{% if a.principles and a.findings %}; {% endif %}{% for f in a.findings %}{{ cite(id=f.id) }}{% if not loop.last %}, {% endif %}{% endfor %}.
{%- include "_action-notes.md" %}
{%- endif %}{%- endfor %}
{% endif %}
{% endblock actions %}

{% block declined %}
{% if declined %}
## What we declined to do

{% for a in declined %}
- **{{ cite(id=a.id) }}.** {{ a.statement }}{% for s in a.sources %}{{ cite(id=s.id) }}{% endfor %}  
  *We declined:* {{ a.reason }}{% if a.principles %} This rests on {% for p in a.principles %}{{ cite(id=p.id) }} ({{ p.name }}){% if loop.index < loop.length - 1 %}, {% elif not loop.last %} and {% endif %}{% endfor %}.{% endif %}
{%- include "_action-notes.md" %}
{%- endfor %}
{% endif %}
{% endblock declined %}

{% block deadlines %}
{% if incident and (incident.gdpr_art33_due or incident.sec_8k_due) %}
## Deadlines

{% if incident.gdpr_art33_due %}
- GDPR Article 33: the supervisory authority must be notified by {{ incident.gdpr_art33_due.text }}, 72 hours after we became aware {{ incident.aware.phrase }}.
{%- endif %}
{% if incident.sec_8k_due %}
- Form 8-K Item 1.05: due by {{ incident.sec_8k_due.text }}, four business days after the incident was determined material {{ incident.material.phrase }}.
{%- endif %}
{% endif %}
{% endblock deadlines %}

{% block quotes %}
{% for q in quotes %}
> “{{ q.text }}”  
> — {{ q.by }}{% if q.by_title %}, {{ q.by_title }}{% endif %}

{% endfor %}
{% endblock quotes %}

{% block acknowledgements %}
{% if acknowledgements %}
## Thanks

{% for a in acknowledgements %}
{{ a.text }}{% if a.source %}{{ cite(id=a.source.id) }}{% endif %}

{% endfor %}
{% endif %}
{% endblock acknowledgements %}

{% block next_steps %}
{% if next_steps %}
## What happens next

{% for n in next_steps %}
- {% if n.date %}{{ n.date.phrase | upper_first }}: {% endif %}{{ n.text }}
{%- endfor %}
{% endif %}
{% endblock next_steps %}

{% block timeline %}
{% if timeline %}
## Timeline

{% for t in timeline %}
- **{{ t.date.text | upper_first }}.** {{ t.event }}
{%- endfor %}
{% endif %}
{% endblock timeline %}

{% block for_employees %}
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
{% endblock for_employees %}

{% block signature %}
{% if spokesperson %}
{{ spokesperson.name }}  
{{ spokesperson.title }}
{% endif %}
{% endblock signature %}

{% block footnotes %}
{{ footnotes() }}
{% endblock footnotes %}
""",
    "public-statement.md": """\
{#- The public statement: public items only; this template never sees the rest. -#}
{% block header %}
# {{ case.title }}

*{{ organisation.name }} · {{ document.date.text }}*

{% endblock header %}

{% block update %}
{% include "_update.md" %}
{% endblock update %}

{% block summary %}
{{ case.summary }}
{% endblock summary %}

{% block principles %}
{% if principles %}
## Our principles

{% for p in principles %}
- **{{ cite(id=p.id) }}{% if p.title %} · {{ p.title }}{% endif %}.** {{ p.statement }}
{%- if p.basis %} *({{ p.basis }})*{% endif %}
{%- endfor %}
{% endif %}
{% endblock principles %}

{% block sources %}
{% if sources %}
## What prompted our review

{% for s in sources %}
- {% if s.date %}{{ s.date.phrase | upper_first }}, {{ s.event }}{% else %}{{ s.event | upper_first }}{% endif %}{% if s.title %}, “{{ s.title }}”{% endif %}.{{ cite(id=s.id) }} In brief: {{ s.claim }}
{%- endfor %}
{% endif %}
{% endblock sources %}

{% block review %}
{% if review %}
## How we reviewed it

We opened a review {{ review.opened.phrase }}{% if review.conducted_by %}, conducted by {{ review.conducted_by | join_and }}{% endif %}. {% if review.state == "ongoing" %}The review is continuing.{% elif review.state == "concluded" %}The review is complete.{% endif %}

{% if review.examined %}
The review examined:

{% for item in review.examined %}
- {{ item }}
{%- endfor %}
{% endif %}

{% if review.not_examined %}
It deliberately did not examine:

{% for item in review.not_examined %}
- {{ item.what }}{% if item.principle %}, because of {{ cite(id=item.principle.id) }} ({{ item.principle.name }}){% endif %}
{%- endfor %}
{% endif %}
{% endif %}
{% endblock review %}

{% block findings %}
{% if findings %}
## What we found

{% for f in findings %}
- **{{ cite(id=f.id) }}.** {% if not f.known %}*Not yet known:* {% endif %}{{ f.statement }}{% for s in f.sources %}{{ cite(id=s.id) }}{% endfor %}
{%- endfor %}
{% endif %}
{% endblock findings %}

{% block actions %}
{% if actions %}
## What we have decided

{% for a in actions %}{% if not a.declined %}
- **{{ cite(id=a.id) }}.** {{ a.statement }}
{%- if a.state == "planned" %} *(Planned{% if a.effective %}, {{ a.effective.phrase }}{% endif %}.)*{% elif a.state == "in-progress" %} *(Under way{% if a.effective %} since {{ a.effective.text }}{% endif %}.)*{% elif a.effective %} *(Effective {{ a.effective.text }}.)*{% endif %}  
  This rests on {% for p in a.principles %}{{ cite(id=p.id) }} ({{ p.name }}){% if loop.index < loop.length - 1 %}, {% elif not loop.last %} and {% endif %}{% endfor %}{% if a.principles and a.findings %}, and on {% endif %}{% for f in a.findings %}{% if loop.first %}finding{% if a.findings | length > 1 %}s{% endif %} {% endif %}{{ cite(id=f.id) }}{% if loop.index < loop.length - 1 %}, {% elif not loop.last %} and {% endif %}{% endfor %}.
{%- include "_action-notes.md" %}
{%- endif %}{%- endfor %}
{% endif %}
{% endblock actions %}

{% block declined %}
{% if declined %}
## What we declined to do

{% for a in declined %}
- **{{ cite(id=a.id) }}.** {{ a.statement }}{% for s in a.sources %}{{ cite(id=s.id) }}{% endfor %}  
  *We declined:* {{ a.reason }}{% if a.principles %} This rests on {% for p in a.principles %}{{ cite(id=p.id) }} ({{ p.name }}){% if loop.index < loop.length - 1 %}, {% elif not loop.last %} and {% endif %}{% endfor %}.{% endif %}
{%- include "_action-notes.md" %}
{%- endfor %}
{% endif %}
{% endblock declined %}

{% block quotes %}
{% for q in quotes %}
> “{{ q.text }}”  
> — {{ q.by }}{% if q.by_title %}, {{ q.by_title }}{% endif %}

{% endfor %}
{% endblock quotes %}

{% block acknowledgements %}
{% if acknowledgements %}
## Acknowledgements

{% for a in acknowledgements %}
{{ a.text }}{% if a.source %}{{ cite(id=a.source.id) }}{% endif %}

{% endfor %}
{% endif %}
{% endblock acknowledgements %}

{% block next_steps %}
{% if next_steps %}
## What happens next

{% for n in next_steps %}
- {% if n.date %}{{ n.date.phrase | upper_first }}: {% endif %}{{ n.text }}
{%- endfor %}
{% endif %}
{% endblock next_steps %}

{% block footnotes %}
{% block signature %}
{% if spokesperson %}
{{ spokesperson.name }}  
{{ spokesperson.title }}
{% endif %}
{% endblock signature %}

{{ footnotes() }}
{% endblock footnotes %}
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
    env.filters["join_and"] = join_and
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
