"""The one CSV cell rule: formulas defused, times in the site's clock with its offset."""

from datetime import UTC, date, datetime

import pytest

from sovaz.csvsafe import csv_lines, safe_cell


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(text):
    assert safe_cell(text) == "'" + text


def test_an_aware_time_is_written_on_the_site_clock_with_its_offset(settings):
    settings.TIME_ZONE = "Asia/Tashkent"
    assert safe_cell(datetime(2026, 11, 20, 20, 22, 30, 123456, tzinfo=UTC)) == (
        "2026-11-21T01:22:30+05:00"
    )
    assert safe_cell(date(2026, 11, 21)) == "2026-11-21"


def test_lists_and_dicts_are_json_and_the_file_starts_with_a_bom():
    lines = list(csv_lines(["a", "b"], [[{"x": 1}, ["o‘zbek", None]]]))
    assert lines == ["\ufeffa,b\n", '"{""x"": 1}","[""o‘zbek"", null]"\n']
