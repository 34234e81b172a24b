"""``manage.py import_guides``: its output, its exit codes, its dry run."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Revision

from guides.models import Article
from tests.importers.test_runner import make_catalog

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"


def run(*args) -> str:
    out = StringIO()
    call_command("import_guides", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def catalog(tenant_a):
    make_catalog(tenant_a)
    return tenant_a


def test_a_successful_import_exits_zero_and_lists_each_article(catalog):
    output = run(
        str(SAMPLES / "esim_cancel_zh.md"),
        str(SAMPLES / "telecom_multi.md"),
        "--tenant",
        "alpha",
    )
    assert "esim_cancel_zh.md: 1 article(s) (UTF-8)" in output
    assert "telecom_multi.md: 3 article(s) (UTF-8)" in output
    assert output.count("  created: ") == 4
    assert "removed (line 50): QQ群：123456789" in output
    assert output.strip().endswith(
        "2 file(s): 2 imported, 0 failed; articles 4 created, 0 updated, 0 unchanged."
    )
    again = run(str(SAMPLES / "esim_cancel_zh.md"), "--tenant", "alpha")
    assert "  unchanged: " in again and Article.unscoped.count() == 4


def test_failed_files_exit_one_after_importing_the_rest(catalog, tmp_path):
    (tmp_path / "empty.md").write_bytes(b"")
    shutil.copy(SAMPLES / "scenario_zh.md", tmp_path / "scenario_zh.md")
    out = StringIO()
    with pytest.raises(CommandError, match="2 of 3 file") as excinfo:
        call_command(
            "import_guides",
            str(tmp_path),
            str(tmp_path / "missing.md"),
            "--tenant",
            "alpha",
            stdout=out,
        )
    assert excinfo.value.returncode == 1
    output = out.getvalue()
    assert "empty.md: FAILED: The file is empty." in output
    assert "missing.md: FAILED: The file cannot be read" in output
    assert Article.unscoped.filter(tenant=catalog).count() == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["--tenant", "nope"], "No tenant"),
        (["--tenant", "alpha", "--carrier", "nope"], "No carrier"),
        (["--tenant", "alpha", "--card-type", "nope"], "No card type"),
        (["--tenant", "alpha", "--language", "zh-hant"], "does not use the language"),
    ],
)
def test_usage_errors_exit_two_and_write_nothing(catalog, args, message):
    with pytest.raises(CommandError, match=message) as excinfo:
        run(str(SAMPLES / "esim_cancel_zh.md"), *args)
    assert excinfo.value.returncode == 2
    assert Article.unscoped.count() == 0


def test_the_dry_run_prints_the_structure_and_writes_nothing(catalog):
    revisions = Revision.objects.count()
    output = run(
        str(SAMPLES / "transit_card_en.md"),
        "--tenant",
        "alpha",
        "--language",
        "en",
        "--dry-run",
        "--publish",
    )
    assert "would create: How to close a transit card" in output
    for line in (
        "step 1: Check your balance",
        "step 3: Get your refund",
        "document: Your ID card",
        "prerequisite: The card is not damaged",
        "warning: Beware of websites",
        "FAQ: How long does the refund take?",
        "removed (line 40): Join our Telegram group",
    ):
        assert line in output
    assert "Dry run: nothing was written." in output
    assert Article.unscoped.count() == 0 and Revision.objects.count() == revisions


def test_publish_publishes_a_confident_import(
    catalog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        output = run(
            str(SAMPLES / "esim_cancel_zh.md"), "--tenant", "alpha", "--publish"
        )
    assert "published; carrier: China Mobile; card type: eSIM" in output
    assert Article.unscoped.get().status == Article.Status.PUBLISHED


@pytest.mark.parametrize("language", ["zh", "en"])
def test_publish_publishes_generic_procedures_and_dry_run_names_new_card_types(
    catalog, tmp_path, language
):
    """--publish published nothing on the real articles (issue 13)."""
    for name in (f"cards_scenarios_{language}.md", f"plain_list_{language}.md"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    dry = run(str(tmp_path), "--tenant", "alpha", "--dry-run", "--publish")
    assert "would create the card type “" in dry
    assert not Article.unscoped.exists()
    output = run(str(tmp_path), "--tenant", "alpha", "--publish")
    assert "created the card type “" in output
    articles = Article.unscoped.filter(tenant=catalog)
    assert articles.count() == (4 if language == "zh" else 3)
    assert all(a.status == Article.Status.PUBLISHED for a in articles)
    assert all(a.carrier_id is None for a in articles)
