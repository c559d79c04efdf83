"""Recommendations across all visits per category, in the shape of the report's Table 1."""

import csv

from django.core.management.base import BaseCommand, CommandError

from support.reports import category_report


class Command(BaseCommand):
    help = (
        "Print recommendations across all visits per category (category, count, share), "
        "beside the report's national figures."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", default="table", help="table (default) or csv")

    def handle(self, *args, **options):
        fmt = options["format"]
        if fmt not in ("table", "csv"):
            raise CommandError(f"--format must be table or csv, not {fmt!r}.")
        reports = category_report()
        if fmt == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(["theme", "category", "count", "share", "report_count", "report_share"])
            for report in reports:
                for row in report.rows:
                    writer.writerow(
                        [
                            report.label,
                            row.category,
                            row.count,
                            "" if row.share is None else row.share,
                            "" if row.report_count is None else row.report_count,
                            "" if row.report_share is None else row.report_share,
                        ]
                    )
            return
        for report in reports:
            table = f"Table {report.table_number}. " if report.table_number else ""
            self.stdout.write(f"{table}{report.label}: {report.total} recommendations")
            width = max((len(row.category) for row in report.rows), default=8)
            width = min(max(width, 8), 90)
            self.stdout.write(
                f"  {'Category':<{width}}  {'Count':>5}  {'Share':>6}  {'Report':>6}  {'Share':>6}"
            )
            for row in report.rows:
                share = "-" if row.share is None else f"{row.share}%"
                report_count = "-" if row.report_count is None else str(row.report_count)
                report_share = "-" if row.report_share is None else f"{row.report_share}%"
                name = (
                    row.category
                    if len(row.category) <= width
                    else row.category[: width - 3] + "..."
                )
                self.stdout.write(
                    f"  {name:<{width}}  {row.count:>5}  {share:>6}  {report_count:>6}  {report_share:>6}"
                )
            self.stdout.write(
                f"  {'Total':<{width}}  {report.total:>5}  {'':>6}  "
                f"{'-' if report.report_total is None else report.report_total:>6}"
            )
            self.stdout.write("")
