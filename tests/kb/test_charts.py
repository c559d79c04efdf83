"""Charts print each figure as the report does: no zeros padded on to match a neighbour."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from kb.charts import Point, build_bar_chart, format_value
from kb.models import EvidenceSummaryPage, Intervention


def test_each_bar_keeps_its_own_decimal_places():
    chart = build_bar_chart(
        "example",
        "Example",
        [
            Point(category="Whole", value=Decimal("4.000")),
            Point(category="Fraction", value=Decimal("1.400")),
            Point(category="Two places", value=Decimal("0.250")),
        ],
        unit="pp",
    )
    assert [row["display"] for row in chart.table_rows] == [
        "4 percentage points",
        "1.4 percentage points",
        "0.25 percentage points",
    ]
    assert [bar.text for category in chart.categories for bar in category.bars] == [
        "4 percentage points",
        "1.4 percentage points",
        "0.25 percentage points",
    ]


@pytest.mark.django_db
def test_rendered_charts_print_figures_as_the_report_does(client):
    interventions = list(Intervention.objects.exclude(gap_contribution_pp=None))
    whole = [i for i in interventions if i.gap_contribution_pp == int(i.gap_contribution_pp)]
    fractional = [i for i in interventions if i.gap_contribution_pp != int(i.gap_contribution_pp)]
    assert whole and fractional, "the content should mix whole and fractional contributions"

    page = EvidenceSummaryPage.objects.get(theme__isnull=True)
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    rows = soup.select("#chart-interventions details table tbody tr")
    shown = {
        " ".join(row.find("th").get_text(" ").split()): row.find_all("td")[-1].get_text(strip=True)
        for row in rows
    }
    for intervention in interventions:
        assert shown[intervention.name] == format_value(intervention.gap_contribution_pp, "pp")
    for intervention in whole:
        assert "." not in shown[intervention.name], shown[intervention.name]

    smoking = page.key_statistics.get(chart="smoking-at-delivery", value=Decimal("14"))
    chart = soup.select_one("#chart-smoking-at-delivery")
    cells = [cell.get_text(strip=True) for cell in chart.select("tbody td")]
    assert format_value(smoking.value, smoking.unit) == "14%"
    assert "14%" in cells and "14.0%" not in cells
