"""`send_alerts` with 10,000 confirmed subscriptions and 50 new pages: wall time and peak memory.

Run it with `.venv/bin/python -m bench.alerts`. It builds a throwaway SQLite database and
search index with the report's content (as `make setup` does), adds the subscriptions spread
over a pool of distinct searches (every theme, every area, theme and type, words from the judged
queries, words with a theme), all confirmed before 50 case studies are published with the real
themes and areas and sentences from the real content. Then it runs `manage.py send_alerts` in a
child process (locmem email, so every message is built but none leaves) and reports the child's
wall time and peak resident memory, and how many searches it ran (at most one per distinct
search). Exits non-zero over 60 s or 300 MB.
"""

import argparse
import os
import random
import re
import subprocess
import sys
import time

from bench.site_pages import prepare_environment

TIME_BUDGET_S = 60.0
MEMORY_BUDGET_MB = 300.0
WORDS = [
    "smoking",
    "breastfeeding",
    "sudi",
    "teenage pregnancy",
    "obesity",
    "housing",
    "fathers",
    "travellers",
    "interpreters",
    "vitamin d",
    "immunisation",
    "alcohol",
    "domestic abuse",
    "mental health",
    "safer sleep",
    "outreach",
    "peer support",
    "children's centres",
    "carbon monoxide",
    "folic acid",
    "midwifery",
    "health visitors",
    "data",
    "audit",
]


def search_pool():
    from kb.models import Area, Theme

    themes = list(Theme.objects.values_list("slug", flat=True))
    areas = list(Area.objects.values_list("slug", flat=True))
    pool = [("", {"theme": [theme]}) for theme in themes]
    pool += [("", {"area": [area]}) for area in areas]
    pool += [("", {"theme": [t], "type": [k]}) for t in themes for k in ("case_study", "resource")]
    pool += [(word, {}) for word in WORDS]
    pool += [(word, {"theme": [t]}) for word in WORDS[:8] for t in themes[:6]]
    return pool


def add_subscriptions(count, before):
    from alerts.models import Subscription
    from alerts.searches import canonical, request_for

    rng = random.Random(27)
    pool = [canonical(request_for(query, filters)) for query, filters in search_pool()]
    Subscription.objects.bulk_create(
        (
            Subscription(
                email=f"reader{number}@example.org",
                description="benchmark search",
                frequency=rng.choice(["immediately", "daily", "weekly"]),
                confirmed_at=before,
                matched_until=before,
                **rng.choice(pool),
            )
            for number in range(count)
        ),
        batch_size=2000,
    )
    return len({search["search_hash"] for search in pool})


def publish_pages(count):
    from kb.models import Area, CaseStudyIndexPage, CaseStudyPage, Theme

    rng = random.Random(50)
    sentences = [
        sentence
        for text in CaseStudyPage.objects.values_list("what_was_done", flat=True)
        for sentence in re.split(r"(?<=[.!?])\s+", text)
        if len(sentence) > 40
    ]
    themes, areas = list(Theme.objects.all()), list(Area.objects.all())
    parent = CaseStudyIndexPage.objects.get()
    for number in range(count):
        page = CaseStudyPage(
            title=f"New local practice {number}: " + rng.choice(sentences)[:60],
            summary=" ".join(rng.sample(sentences, 2))[:400],
            what_was_done=" ".join(rng.sample(sentences, 6)),
        )
        page.themes = rng.sample(themes, 2)
        page.areas = rng.sample(areas, 1)
        parent.add_child(instance=page)
        page.save_revision().publish()


class RenderingEmailBackend:
    """Renders each message to the bytes SMTP would send, then drops it (locmem would keep
    10,000 messages in memory, which a real run never does)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        for message in messages:
            message.message().as_bytes()
        return len(messages)


def run_child():
    """The measured process: `send_alerts`, as cron runs it, with the rendering backend."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "bench.alerts.RenderingEmailBackend"
    call_command("send_alerts")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--profile", action="store_true", help="print the child's cProfile")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return run_child()
    prepare_environment(use_current_db=False)
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    print("setting up (migrate, load the report's content, index)...", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_initial_data", verbosity=0)
    before = timezone.now() - timezone.timedelta(days=8)  # every frequency is due
    distinct = add_subscriptions(args.subscriptions, before)
    publish_pages(args.pages)
    print(
        f"{args.subscriptions} confirmed subscriptions over {distinct} distinct searches, "
        f"{args.pages} new pages",
        flush=True,
    )

    started = time.perf_counter()
    profile = ["-m", "cProfile", "-s", "cumtime"] if args.profile else []
    child = subprocess.Popen(
        [sys.executable, *profile, "-m", "bench.alerts", "--child"],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    output = child.stdout.read().decode().strip()
    if args.profile:
        print("\n".join(output.splitlines()[:60]))
    peak_mb = usage.ru_maxrss / 1024
    print(f"send_alerts: {output}")
    print(
        f"wall time {elapsed:.1f} s (budget {TIME_BUDGET_S:.0f} s), "
        f"peak memory {peak_mb:.0f} MB (budget {MEMORY_BUDGET_MB:.0f} MB)"
    )
    searches = int(re.search(r"(\d+) searches run", output).group(1))
    print(f"searches run: {searches} (distinct searches: {distinct})")
    ok = status == 0 and elapsed <= TIME_BUDGET_S and peak_mb < MEMORY_BUDGET_MB
    ok = ok and searches <= distinct
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
