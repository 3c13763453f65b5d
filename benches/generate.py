#!/usr/bin/env python3
"""Writes a synthetic candor repository for benchmarking.

    python3 benches/generate.py --cases 1000 --out /tmp/candor-bench/1000

Every case has the founding case's shape and about its size (6 KB of YAML,
between the founding case's 4 KB and the other examples' 12 KB: two
or three principles, sources, a review with what it examined and left out,
findings, actions, thanks, next steps, a timeline, a quote, and internal
talking points, questions and contacts), varied from case to case: how many
of each item, which principles it cites from a library of twenty, inline
principles now and then, internal findings and actions beside public ones,
declined demands, exceptions to a principle, limits, approximate dates and
updates of earlier cases. Every case is valid and clean, so `candor check`
passes and `candor build` renders every case into two documents: the memo
to employees and the public statement (`candor.yaml` makes the press Q&A,
a third built-in kind, one a case must ask for).

The output depends only on --cases and --seed, so two runs of the benchmark
read the same files. Nothing here is committed: the benchmark writes into a
temporary folder.
"""

import argparse
import datetime
import os
import random
import shutil

WORDS = (
    "account archive audit billing border broker cable camera channel "
    "citizen cluster contract court customer dataset device district "
    "donor election engineer export facility forum grant harbour helpline "
    "hospital identity insurer journalist kernel ledger licence location "
    "marketplace minister monitor network newsroom operator partner "
    "payment platform portal province ranking registry reseller router "
    "satellite scanner school server sensor settlement signal storage "
    "subsidiary supplier tenant tribunal union vendor warehouse"
).split()

VERBS = (
    "stored copied routed indexed exported flagged matched logged "
    "shared scanned queried retained"
).split()

PRINCIPLE_TOPICS = [
    ("no-mass-surveillance", "No mass surveillance of civilians"),
    ("customer-privacy", "Customer privacy"),
    ("human-rights-due-diligence", "Human rights due diligence"),
    ("lawful-requests-only", "Lawful requests only"),
    ("minimum-necessary-access", "Minimum necessary access"),
    ("prompt-notification", "Prompt and plain notification"),
    ("no-coordinated-harassment", "No coordinated harassment"),
    ("proportionate-enforcement", "Proportionate enforcement"),
    ("private-messages-stay-private", "Private messages stay private"),
    ("export-controls", "Compliance with export controls"),
    ("child-safety", "Child safety first"),
    ("election-integrity", "Election integrity"),
    ("fair-dealing-with-partners", "Fair dealing with partners"),
    ("security-by-default", "Security by default"),
    ("transparency-reporting", "Transparency reporting"),
    ("accessibility", "Accessible services"),
    ("data-residency", "Data residency commitments"),
    ("responsible-ai", "Responsible use of AI"),
    ("whistleblower-protection", "Protection of those who raise concerns"),
    ("vendor-accountability", "Vendor accountability"),
]

# Principles the library keeps internal: a case cites one only from items
# that are themselves internal, as a careful team would.
INTERNAL_PRINCIPLES = {"fair-dealing-with-partners", "vendor-accountability"}

PUBLISHERS = [
    "The Guardian", "Reuters", "the Financial Times", "Le Monde",
    "the Associated Press", "a group of employees", "an independent auditor",
    "the Data Protection Authority", "the Open Web Safety Lab", "a customer",
]
SOURCE_KINDS = [
    "press-report", "complaint", "audit", "regulator-inquiry",
    "internal-report", "research",
]
STATES = ["done", "done", "in-progress", "planned"]


def sentence(rng, tag, words=14):
    """A plain sentence, made unique by `tag` so that no internal text is
    ever a substring of a public one (candor's leak check would rightly
    object)."""
    body = " ".join(rng.choice(WORDS) for _ in range(words))
    return f"{tag.capitalize()} {rng.choice(VERBS)} {body}."


def folded(text, indent):
    """A YAML folded block scalar."""
    pad = " " * indent
    out, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > 72:
            out.append(pad + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    out.append(pad + line)
    return ">-\n" + "\n".join(out)


def day(when, approximate=False):
    """A date as a case writes it: now and then approximate."""
    text = when.isoformat()
    return f"~{text}" if approximate else text


def visibility(public):
    return "public" if public else "internal"


def write_settings(root):
    with open(os.path.join(root, "candor.yaml"), "w", encoding="utf-8") as f:
        f.write(
            "organisation:\n  name: Example Corporation\n"
            # The labelled style, whose templates benches/python_pipeline.py
            # ports to Jinja2 line for line; the letter style's prose needs
            # Tera filters of candor's own, which a port would reimplement.
            "style: brief\n"
            "organisations:\n"
            "  - id: example-health\n    name: Example Health\n"
            "  - id: example-social\n    name: Example Social\n"
            "people:\n"
            "  - id: alex-morgan\n    name: Alex Morgan\n    title: President\n"
            "  - id: sam-lee\n    name: Sam Lee\n    title: Chief Privacy Officer\n"
            "  - id: kim-osei\n    name: Kim Osei\n    title: Head of Trust and Safety\n"
            # Two documents per case, as the benchmark's targets are set:
            # the press Q&A becomes a kind a case asks for by name.
            "documents:\n"
            "  - id: press-qa\n    template: press-qa.md\n    audience: internal\n"
            "    every_case: false\n"
        )


def write_principles(root, rng):
    folder = os.path.join(root, "principles")
    os.makedirs(folder)
    for pid, title in PRINCIPLE_TOPICS:
        public = pid not in INTERNAL_PRINCIPLES
        with open(os.path.join(folder, f"{pid}.yaml"), "w", encoding="utf-8") as f:
            f.write(f"id: {pid}\ntitle: {title}\n")
            f.write(f"statement: {folded(sentence(rng, 'we never have ' + pid.replace('-', ' ')), 2)}\n")
            f.write(f"basis: Example Corporation standard terms, section {rng.randint(1, 40)}\n")
            f.write(f"since: {rng.randint(2005, 2016)}\n")
            f.write(f"visibility: {visibility(public)}\n")


def case_text(rng, number, earlier, start):
    """One case file, as text, and its publication date. `earlier` is the
    id of a case this one updates, or None. Dates tell a coherent story
    from `start`: sources, then the review, then actions, then publication,
    with only planned actions later."""
    cid = f"case-{number:05d}"
    after = lambda days: start + datetime.timedelta(days=days)
    published = after(60)
    lines = [
        f"# Synthetic case {number} for the candor benchmark.",
        f"id: {cid}",
        f"title: Decision {number} on the {rng.choice(WORDS)} {rng.choice(WORDS)} review",
        f"date: {day(published)}",
        f"status: {rng.choice(['draft', 'review', 'approved', 'published'])}",
        f"spokesperson: {rng.choice(['alex-morgan', 'sam-lee', 'kim-osei'])}",
    ]
    if earlier:
        lines.append(f"updates: {earlier}")
    if rng.random() < 0.3:
        lines.append(f"organisation: {rng.choice(['example-health', 'example-social'])}")
    lines.append(f"summary: {folded(sentence(rng, f'summary {number} we', 30), 2)}")

    # Principles: two or three public ones from the library, sometimes an
    # internal one and sometimes one defined inline.
    public_library = [p for p, _ in PRINCIPLE_TOPICS if p not in INTERNAL_PRINCIPLES]
    chosen = rng.sample(public_library, rng.randint(2, 3))
    internal_principle = rng.choice(sorted(INTERNAL_PRINCIPLES)) if rng.random() < 0.3 else None
    lines.append("\nprinciples:")
    for p in chosen:
        lines.append(f"  - {p}")
    if internal_principle:
        lines.append(f"  - {internal_principle}")
    inline = None
    if rng.random() < 0.25:
        inline = f"local-rule-{number}"
        lines += [
            f"  - id: {inline}",
            f"    title: Local rule {number}",
            f"    statement: {folded(sentence(rng, f'local rule {number} says we'), 6)}",
            f"    basis: Policy {number}",
            "    visibility: public",
        ]
    public_principles = chosen + ([inline] if inline else [])

    # Sources: one to three, the first always public.
    sources = [f"source-{number}-{i}" for i in range(rng.randint(1, 3))]
    public_sources = []
    lines.append("\nsources:")
    for i, sid in enumerate(sources):
        public = i == 0 or rng.random() < 0.6
        if public:
            public_sources.append(sid)
        lines += [
            f"  - id: {sid}",
            f"    kind: {rng.choice(SOURCE_KINDS)}",
            f"    publisher: {rng.choice(PUBLISHERS)}",
            f"    date: {day(after(rng.randint(0, 10)))}",
            f"    claim: {folded(sentence(rng, f'claim {number}-{i} that the', 14), 6)}",
            f"    visibility: {visibility(public)}",
        ]
        if rng.random() < 0.5:
            lines.append(f"    title: Report {number}-{i} on the {rng.choice(WORDS)}")
        if rng.random() < 0.5:
            lines.append(f"    url: https://news.example/{number}/{i}")

    # The review: what was examined, and what was left out because of a
    # principle (which also counts as citing that principle).
    excluded_by = chosen[-1]
    lines += [
        "\nreview:",
        f"  opened: {day(after(12), approximate=rng.random() < 0.2)}",
        f"  conducted_by: the {rng.choice(WORDS)} review team",
        f"  state: {rng.choice(['ongoing', 'concluded'])}",
        "  visibility: public",
        "  examined:",
    ]
    for i in range(rng.randint(1, 3)):
        public = i == 0 or rng.random() < 0.5
        lines += [
            f"    - what: {sentence(rng, f'examined {number}-{i} records of the', 6)}",
            f"      visibility: {visibility(public)}",
        ]
    lines += [
        "  not_examined:",
        f"    - what: the content of every {rng.choice(WORDS)} in case {number}",
        f"      principle: {excluded_by}",
        "      visibility: public",
    ]

    # Findings: two to four, each source cited by at least one. A finding
    # citing an internal source is internal; the first is always public.
    findings = []
    lines.append("\nfindings:")
    for i in range(rng.randint(max(2, len(sources)), 4)):
        fid = f"finding-{number}-{i}"
        cited_source = sources[min(i, len(sources) - 1)]
        public = i == 0 or (cited_source in public_sources and rng.random() < 0.8)
        cites = [cited_source]
        findings.append((fid, public))
        lines += [
            f"  - id: {fid}",
            f"    statement: {folded(sentence(rng, f'finding {number}-{i} the', 12), 6)}",
            f"    sources: [{', '.join(cites)}]",
            f"    bearing: {rng.choice(['supports', 'supports', 'contradicts', 'inconclusive'])}",
            f"    evidence: {sentence(rng, f'evidence {number}-{i} from our', 8)}",
            f"    visibility: {visibility(public)}",
        ]
        if rng.random() < 0.1:
            lines.append("    known: false")

    # Actions: one to three. Public actions rest on public principles and
    # at least one public finding; internal actions may rest on anything.
    public_findings = [f for f, p in findings if p]
    all_findings = [f for f, _ in findings]
    lines.append("\nactions:")
    uncited = set(all_findings)
    uncited_principles = set(public_principles) | (
        {internal_principle} if internal_principle else set()
    )
    uncited_principles.discard(excluded_by)
    count = rng.randint(1, 3)
    for i in range(count):
        aid = f"action-{number}-{i}"
        public = i == 0 or rng.random() < 0.7
        last = i == count - 1
        if public:
            pool = public_principles
            cited_findings = rng.sample(public_findings, min(len(public_findings), rng.randint(1, 2)))
        else:
            pool = public_principles + ([internal_principle] if internal_principle else [])
            cited_findings = rng.sample(all_findings, rng.randint(1, 2))
        cited_principles = [rng.choice(pool)]
        if last:
            # The last action cites whatever is still uncited, as a real
            # case would, so no principle or finding is left unused.
            cited_findings += sorted(f for f in uncited if f not in cited_findings and (not public or f in public_findings))
            cited_principles += sorted(p for p in uncited_principles if p not in cited_principles and (not public or p in public_principles))
            if public:
                # Internal leftovers go on an internal action of their own.
                leftover_f = sorted(f for f in uncited if f not in cited_findings)
                leftover_p = sorted(p for p in uncited_principles if p not in cited_principles)
            else:
                leftover_f, leftover_p = [], []
        uncited -= set(cited_findings)
        uncited_principles -= set(cited_principles)
        state = rng.choice(STATES)
        lines += [
            f"  - id: {aid}",
            f"    statement: {folded(sentence(rng, f'action {number}-{i} we have', 14), 6)}",
            f"    principles: [{', '.join(cited_principles)}]",
            f"    findings: [{', '.join(cited_findings)}]",
            f"    effective: {day(after(rng.randint(75, 120) if state == 'planned' else rng.randint(15, 55)))}",
            f"    state: {state}",
            f"    visibility: {visibility(public)}",
        ]
        if rng.random() < 0.2:
            lines.append(f"    limits: [{sentence(rng, f'limit {number}-{i} this leaves every', 6)}]")
        if public and rng.random() < 0.1:
            lines += [
                "    departs_from:",
                f"      - principle: {rng.choice(chosen)}",
                f"        reason: {sentence(rng, f'exception {number}-{i} because the', 8)}",
            ]
        if last and public and (leftover_f or leftover_p):
            lines += [
                f"  - id: action-{number}-internal",
                f"    statement: {folded(sentence(rng, f'internal action {number} we have', 12), 6)}",
                f"    principles: [{', '.join(leftover_p or [public_principles[0]])}]",
                f"    findings: [{', '.join(leftover_f or [all_findings[0]])}]",
                f"    effective: {day(after(90))}",
                "    state: planned",
            ]
    if rng.random() < 0.15:
        lines += [
            f"  - id: declined-{number}",
            f"    statement: {sentence(rng, f'demand {number} asked us to', 8)}",
            f"    principles: [{public_principles[0]}]",
            "    state: declined",
            f"    reason: {sentence(rng, f'refusal {number} because the', 8)}",
            "    visibility: public",
        ]

    lines += [
        "\nacknowledgements:",
        f"  - text: {folded(sentence(rng, f'thanks {number} we appreciate the', 10), 6)}",
        f"    source: {public_sources[0]}",
        "    visibility: public",
        "\nnext_steps:",
    ]
    for i in range(rng.randint(1, 3)):
        lines += [
            f"  - text: {sentence(rng, f'next {number}-{i} we will', 8)}",
            f"    visibility: {visibility(i == 0 or rng.random() < 0.5)}",
        ]
    lines.append("\ntimeline:")
    for i in range(rng.randint(2, 5)):
        lines += [
            f"  - date: {day(after(rng.randint(0, 59)), approximate=rng.random() < 0.1)}",
            f"    event: {sentence(rng, f'event {number}-{i} the', 7)}",
            f"    visibility: {visibility(rng.random() < 0.7)}",
        ]
    lines += [
        "\nquotes:",
        f"  - id: quote-{number}",
        f"    text: {sentence(rng, f'quote {number} we do not', 10)}",
        f"    by: {rng.choice(['alex-morgan', 'sam-lee', 'kim-osei'])}",
        "    visibility: public",
        "\ntalking_points:",
    ]
    for i in range(rng.randint(2, 3)):
        lines.append(f"  - text: {sentence(rng, f'point {number}-{i} we acted', 10)}")
    lines.append("\nfaq:")
    for i in range(rng.randint(1, 2)):
        lines += [
            f"  - question: Question {number}-{i} about the {rng.choice(WORDS)}?",
            f"    answer: {folded(sentence(rng, f'answer {number}-{i} no the', 12), 6)}",
        ]
    lines += [
        "\ncontacts:",
        "  - topic: media enquiries",
        "    name: Corporate communications",
        "    reach: the communications team's enquiries channel",
    ]
    return cid, "\n".join(lines) + "\n", published


def generate(cases, out, seed):
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "cases"))
    rng = random.Random(seed)
    write_settings(out)
    write_principles(out, rng)
    previous = None
    for number in range(1, cases + 1):
        # About one case in twenty updates the case before it, and starts
        # after that case was published.
        earlier = previous if previous and rng.random() < 0.05 else None
        if earlier:
            start = previous_published + datetime.timedelta(days=10)
        else:
            start = datetime.date(2018, 1, 1) + datetime.timedelta(days=rng.randint(0, 2900))
        cid, text, previous_published = case_text(rng, number, earlier, start)
        with open(os.path.join(out, "cases", f"{cid}.yaml"), "w", encoding="utf-8") as f:
            f.write(text)
        previous = cid


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    generate(args.cases, args.out, args.seed)


if __name__ == "__main__":
    main()
