"""Incremental ingest on real documents: unchanged re-runs embed nothing, changes are replaced (test embedder)."""

from __future__ import annotations

import shutil
from pathlib import Path

from kennisbank.indexing import ingest
from kennisbank.store.reader import IndexReader as Index
from kennisbank.store.vectors import VectorStore, collection_name, open_client
from tests.conftest import CORPUS, SMALL_DOCS, TEST_EMBEDDER


def _vector_ids(index_dir: Path) -> set[str]:
    return VectorStore(open_client(index_dir / "chroma"), collection_name(TEST_EMBEDDER, 64)).ids()


def test_second_run_embeds_nothing(small_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    first = ingest(small_corpus, index_dir, TEST_EMBEDDER)
    assert sorted(first.added) == sorted(SMALL_DOCS)
    assert first.embedded == first.passages > 20

    second = ingest(small_corpus, index_dir, TEST_EMBEDDER)
    assert second.embedded == 0
    assert sorted(second.unchanged) == sorted(SMALL_DOCS)
    assert second.passages == first.passages
    assert _vector_ids(index_dir) == set(Index(index_dir).passages)


def test_changed_added_and_removed_documents(small_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    ingest(small_corpus, index_dir, TEST_EMBEDDER)
    before = Index(index_dir)
    qa_doc, raads_doc = SMALL_DOCS

    qa = small_corpus / qa_doc
    qa.write_text(
        qa.read_text(encoding="utf-8") + "\nWat is de toetssteen?\nDe toetssteen is een fictief voorbeeld.\n",
        encoding="utf-8",
    )
    (small_corpus / raads_doc).unlink()
    extra = "imv-thema-ketensamenwerking-zorg-en-veiligheid-nh.txt"
    shutil.copy(CORPUS / extra, small_corpus / extra)

    report = ingest(small_corpus, index_dir, TEST_EMBEDDER)
    assert report.changed == [qa_doc]
    assert report.added == [extra]
    assert report.removed == [raads_doc]
    after = Index(index_dir)
    assert {p.doc for p in after.passages.values()} == {qa_doc, extra}
    assert any("toetssteen" in p.text for p in after.passages.values())
    # Passages of the unchanged part of the Q&A document keep their ids, so they were not embedded again.
    qa_before = {pid for pid, p in before.passages.items() if p.doc == qa_doc}
    qa_after = {pid for pid, p in after.passages.items() if p.doc == qa_doc}
    assert len(qa_before & qa_after) >= len(qa_before) - 2
    assert report.embedded == len(set(after.passages) - set(before.passages))
    # Chroma and BM25 agree on which passages exist.
    assert _vector_ids(index_dir) == set(after.passages) == set(after.bm25.ids)


def test_rebuild_starts_over(small_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    first = ingest(small_corpus, index_dir, TEST_EMBEDDER)
    again = ingest(small_corpus, index_dir, TEST_EMBEDDER, rebuild=True)
    assert again.embedded == first.passages
    assert sorted(again.added) == sorted(SMALL_DOCS)
    assert _vector_ids(index_dir) == set(Index(index_dir).passages)


def test_bad_file_is_reported_and_the_rest_indexed(small_corpus: Path, tmp_path: Path) -> None:
    (small_corpus / "leeg.txt").write_text("   \n", encoding="utf-8")
    (small_corpus / "tabel.xlsx").write_bytes(b"PK\x03\x04 not really")
    report = ingest(small_corpus, tmp_path / "index", TEST_EMBEDDER)
    reasons = sorted(str(e) for e in report.errors)
    assert len(reasons) == 2
    assert "leeg.txt: leeg bestand" in reasons[0]
    assert "tabel.xlsx: bestandstype .xlsx niet ondersteund" in reasons[1]
    assert sorted(report.added) == sorted(SMALL_DOCS)


def test_a_document_that_breaks_keeps_its_indexed_version(small_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    ingest(small_corpus, index_dir, TEST_EMBEDDER)
    before = Index(index_dir).passages
    (small_corpus / SMALL_DOCS[0]).write_bytes(b"\x00\x01\x02 binary junk \x00")
    report = ingest(small_corpus, index_dir, TEST_EMBEDDER)
    assert [e.reason for e in report.errors] == ["binaire inhoud, geen tekstbestand"]
    assert set(Index(index_dir).passages) == set(before)
    assert report.kept == [SMALL_DOCS[0]] and SMALL_DOCS[0] not in report.unchanged  # the summary says so
