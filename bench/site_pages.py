"""Server time per public page type, with the report's content: p50, p95 and max in milliseconds.

Run it with `.venv/bin/python -m bench.site_pages`. It builds a throwaway SQLite database and
search index (migrate + load_initial_data, as `make setup` does), then requests each page type
through Django's full request stack in-process (middleware, URL routing, Wagtail page serving,
template rendering) so the figure is the server's own time, without network or browser noise.
Each URL is requested once to warm per-process caches, as a running server would be, and then
timed --repeat times. Exits non-zero if any page type's p95 is over the budget (50 ms).

Use --current-db to measure the database configured by DATABASE_URL instead.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BUDGET_MS = 50.0
ROOT = Path(__file__).resolve().parent.parent


def prepare_environment(use_current_db):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    if use_current_db:
        return None
    workdir = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'db.sqlite3'}"
    os.environ["KB_SEARCH_INDEX_PATH"] = str(workdir / "search-index.sqlite3")
    os.environ["KB_VAR_DIR"] = str(workdir)
    return workdir


def page_type_urls():
    """A handful of real URLs per page type, read from the loaded content."""
    # Django is set up only once the benchmark's own database is chosen (main()).
    from kb.models import EvidenceSummaryPage
    from kb.models.searchable import searchable_page_types

    def urls(model, limit=5, **filters):
        return [
            page.url for page in model.objects.live().filter(**filters).order_by("path")[:limit]
        ]

    return {
        "home": ["/"],
        "search": [
            "/search/?q=smoking",
            "/search/?q=breastfeeding&type=case_study",
            "/search/?q=&theme=housing",
            "/search/?q=sudi",
        ],
        # Evidence summaries are timed as theme hubs and the national picture apart.
        "theme hub": urls(EvidenceSummaryPage, theme__isnull=False),
        "national picture": urls(EvidenceSummaryPage, theme__isnull=True),
        **{
            model.type_label.lower(): urls(model)
            for model in searchable_page_types()
            if model is not EvidenceSummaryPage
        },
        "indexes": ["/case-studies/", "/resources/", "/evidence/", "/areas/", "/news/"],
        "glossary": ["/glossary/"],
    }


def percentile(samples, fraction):
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure(client, urls, repeat):
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    samples = []
    for _ in range(repeat):
        for url in urls:
            started = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40, help="timed rounds per URL")
    parser.add_argument("--current-db", action="store_true", help="use DATABASE_URL as it is")
    parser.add_argument("--budget", type=float, default=BUDGET_MS, help="p95 budget in ms")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    workdir = prepare_environment(args.current_db)
    # Django and what needs it are imported once the environment above says which database.
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    if workdir is not None:
        print(f"Building a fresh database with the report's content in {workdir} ...")
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_initial_data", verbosity=0)

    client = Client()
    rows, over_budget, everything = [], [], []
    for name, urls in page_type_urls().items():
        if not urls:
            continue
        samples = measure(client, urls, args.repeat)
        everything += samples
        p95 = percentile(samples, 0.95)
        rows.append((name, len(urls), len(samples), statistics.median(samples), p95, max(samples)))
        if p95 > args.budget:
            over_budget.append(name)

    print(f"\nServer time per page type (ms), {args.repeat} rounds per URL after a warm-up:")
    print(f"{'page type':<18}{'urls':>5}{'requests':>10}{'p50':>8}{'p95':>8}{'max':>8}")
    for name, url_count, count, p50, p95, worst in rows:
        print(f"{name:<18}{url_count:>5}{count:>10}{p50:>8.1f}{p95:>8.1f}{worst:>8.1f}")
    print(
        f"{'all pages':<18}{'':>5}{len(everything):>10}{statistics.median(everything):>8.1f}"
        f"{percentile(everything, 0.95):>8.1f}{max(everything):>8.1f}"
    )
    if over_budget:
        print(f"\nOVER BUDGET (p95 > {args.budget:.0f} ms): {', '.join(over_budget)}")
        return 1
    print(f"\nEvery page type is within the p95 budget of {args.budget:.0f} ms.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
