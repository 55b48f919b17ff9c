"""pgtext.label.streaming: big CSV exports labelled in chunks give byte-for-byte the output of one piece."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import EXPORT_COLUMNS, EXPORT_ROWS, invoke, write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pgtext import config
from pgtext.embed.cache import EmbeddingCache
from pgtext.errors import InputError
from pgtext.label.streaming import CsvFormat, label_file, streamable
from pgtext.model.store import load_model
from tests.fakes import FakeEmbedder

# Awkward cells on purpose: a quoted answer over two lines, the delimiter inside quotes,
# omitted trailing fields, accents, and an answer that is only spaces.
EXTRA_ROWS = [
    ("R13", "Enschede", "Eerste regel over de bus;\nen een tweede regel over woningen.", "Meer \"ontmoeting\", graag."),
    ("R14", "Hengelo"),
    ("R15", "Almelo", "Café en buurthuis dicht; niemand spreekt elkaar nog.", "   "),
]


@pytest.fixture(scope="module")
def model(model_dir):
    return load_model(model_dir)


@pytest.fixture(scope="module")
def big_export(tmp_path_factory):
    """The fixture export repeated to 60 rows (ids kept unique), plus awkward rows, in three encodings/delimiters."""
    folder = tmp_path_factory.mktemp("stream")
    rows = [[f"{rid}-{k}", *rest] for k in range(5) for rid, *rest in EXPORT_ROWS] + [list(r) for r in EXTRA_ROWS]
    return {
        "comma": write_csv(folder / "comma.csv", EXPORT_COLUMNS, rows, ",", "utf-8"),
        "semicolon_bom": write_csv(folder / "semicolon_bom.csv", EXPORT_COLUMNS, rows, ";", "utf-8-sig"),
        "cp1252": write_csv(folder / "cp1252.csv", EXPORT_COLUMNS, rows, ";", "cp1252"),
    }


@pytest.mark.parametrize("shape", ["comma", "semicolon_bom", "cp1252"])
@pytest.mark.parametrize(
    "text_cols,id_col", [(["vraag1"], None), (["vraag1", "vraag2"], "respondent_id")], ids=["wide", "long"]
)
@pytest.mark.parametrize("chunk_rows", [1, 7, 1000])
def test_chunked_output_is_identical_to_one_piece(tmp_path, model, big_export, shape, text_cols, id_col, chunk_rows):
    source = big_export[shape]
    one = tmp_path / "one.csv"
    chunked = tmp_path / "chunked.csv"
    whole = label_file(source, one, model, FakeEmbedder(), text_cols, id_col=id_col, stream_min_bytes=1 << 40)
    parts = label_file(source, chunked, model, FakeEmbedder(), text_cols, id_col=id_col, stream_min_bytes=0,
                       chunk_rows=chunk_rows)
    assert chunked.read_bytes() == one.read_bytes()
    assert parts == whole
    assert whole.rows_read == 63


def test_the_cli_streams_big_files_with_the_same_result(tmp_path, monkeypatch, big_export, model_dir):
    normal = tmp_path / "normal.csv"
    assert invoke("label", big_export["cp1252"], "--model", model_dir, "--text-col", "vraag1", "--text-col", "vraag2",
                  "-o", normal).exit_code == 0
    monkeypatch.setattr(config, "STREAM_MIN_BYTES", 0)
    monkeypatch.setattr(config, "CHUNK_ROWS", 4)
    streamed = tmp_path / "streamed.csv"
    result = invoke("label", big_export["cp1252"], "--model", model_dir, "--text-col", "vraag1", "--text-col", "vraag2",
                    "-o", streamed)
    assert result.exit_code == 0, result.output
    assert streamed.read_bytes() == normal.read_bytes()
    assert result.stdout.splitlines()[:2] == [
        "Read 63 rows; labelled 88 answers; 38 blank answers skipped.",
        "Blank per question: vraag1 16, vraag2 22",
    ]


def test_progress_runs_once_over_the_whole_file(tmp_path, model, big_export):
    calls = []
    label_file(big_export["comma"], tmp_path / "out.csv", model, FakeEmbedder(), ["vraag1", "vraag2"],
               stream_min_bytes=0, chunk_rows=10, progress=lambda advance, total: calls.append((advance, total)))
    assert {total for _, total in calls} == {88}
    assert sum(advance for advance, _ in calls) == 88


def test_the_cache_is_shared_between_chunks(tmp_path, model, big_export):
    cache = EmbeddingCache(tmp_path / "cache")
    label_file(big_export["comma"], tmp_path / "a.csv", model, FakeEmbedder(), ["vraag1"], cache=cache,
               stream_min_bytes=0, chunk_rows=5)
    again = label_file(big_export["comma"], tmp_path / "b.csv", model, FakeEmbedder(), ["vraag1"], cache=cache,
                       stream_min_bytes=0, chunk_rows=50)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert again.answers_labelled == 47


def test_which_files_stream(tmp_path, big_export):
    csv_out, xlsx_out = tmp_path / "o.csv", tmp_path / "o.xlsx"
    assert streamable(big_export["comma"], csv_out, None, None, 0) == CsvFormat("utf-8-sig", ",")
    assert streamable(big_export["cp1252"], csv_out, None, None, 0) == CsvFormat("cp1252", ";")
    assert streamable(big_export["cp1252"], csv_out, "latin-1", "tab", 0) == CsvFormat("latin-1", "\t")
    assert streamable(big_export["comma"], csv_out, None, None, 1 << 40) is None  # small: one piece
    assert streamable(big_export["comma"], xlsx_out, None, None, 0) is None  # XLSX is written in one piece
    with_nul = tmp_path / "nul.csv"
    with_nul.write_bytes(big_export["comma"].read_bytes().replace(b"Borne", b"Bor\x00ne"))
    assert streamable(with_nul, csv_out, None, None, 0) is None  # read_table strips NULs; leave it to it
    utf16 = tmp_path / "utf16.csv"
    utf16.write_text(big_export["comma"].read_text(encoding="utf-8"), encoding="utf-16")
    assert streamable(utf16, csv_out, None, None, 0) is None
    assert streamable(big_export["cp1252"], csv_out, "utf-8", None, 0) is None  # not valid UTF-8: one piece explains


def test_header_only_file_writes_nothing(tmp_path, model):
    source = write_csv(tmp_path / "leeg.csv", EXPORT_COLUMNS, [])
    target = tmp_path / "out.csv"
    with pytest.raises(InputError, match="has a header but no rows; nothing to label."):
        label_file(source, target, model, FakeEmbedder(), ["vraag1"], stream_min_bytes=0)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_a_broken_row_late_in_the_file_leaves_no_output(tmp_path, model):
    rows = [list(r) for r in EXPORT_ROWS] + [["R99", "Enschede", "te", "veel", "velden", "hier"]]
    source = write_csv(tmp_path / "kapot.csv", EXPORT_COLUMNS, rows, ";")
    target = tmp_path / "out.csv"
    with pytest.raises(InputError) as err:
        label_file(source, target, model, FakeEmbedder(), ["vraag1"], stream_min_bytes=0, chunk_rows=3)
    # the same words as the one-piece reader: the line, and that a field holds the delimiter
    assert str(err.value) == (
        f"{source}: line 14 has more fields than the header (6, not 4): a field holds the delimiter ';'; "
        "quote it or pick another delimiter with --delimiter."
    )
    assert not target.exists()


def test_unknown_text_column_is_named_before_any_work(tmp_path, model, big_export):
    with pytest.raises(InputError, match="no column 'vraag9' \\(--text-col\\); columns here: respondent_id"):
        label_file(big_export["comma"], tmp_path / "o.csv", model, FakeEmbedder(), ["vraag9"], stream_min_bytes=0)


# --- every row once, on both paths, with the same parser (issue 12) ---------------------------------


def test_blank_answers_are_kept_on_the_chunked_path(tmp_path, monkeypatch, model_dir):
    """2,010 rows, 2,000 of them blank ("" or spaces): all 2,010 come out, in chunks as in one piece."""
    rows = [["Meer woningen voor starters." if i % 201 == 0 else ('""' if i % 2 else "   ")] for i in range(2010)]
    source = tmp_path / "export.csv"
    source.write_text("vraag1\r\n" + "".join(f"{r[0]}\r\n" for r in rows), encoding="utf-8")
    one = tmp_path / "one.csv"
    assert invoke("label", source, "--model", model_dir, "--text-col", "vraag1", "-o", one).exit_code == 0
    monkeypatch.setattr(config, "STREAM_MIN_BYTES", 0)
    monkeypatch.setattr(config, "CHUNK_ROWS", 128)
    chunked = tmp_path / "chunked.csv"
    result = invoke("label", source, "--model", model_dir, "--text-col", "vraag1", "-o", chunked)
    assert result.exit_code == 0, result.output
    assert "Read 2010 rows; labelled 10 answers; 2000 blank answers skipped." in result.output
    assert chunked.read_bytes() == one.read_bytes()


_cell = st.text(alphabet=st.sampled_from(list("ab é;,\"'=-\n")), max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(_cell, min_size=0, max_size=3), min_size=0, max_size=9),
    blank_after=st.lists(st.integers(0, 3), min_size=10, max_size=10),
    trailing=st.lists(st.integers(0, 2), min_size=10, max_size=10),
    delimiter=st.sampled_from([",", ";"]),
    line_end=st.sampled_from(["\r\n", "\n", "\r"]),
    chunk_rows=st.integers(1, 4),
    long=st.booleans(),
)
def test_chunked_output_equals_one_piece_for_any_table(
    tmp_path_factory, model, rows, blank_after, trailing, delimiter, line_end, chunk_rows, long
):
    """Random small tables with blank rows, blank lines, trailing delimiters and quoted line breaks."""
    folder = tmp_path_factory.mktemp("prop")
    if line_end == "\r":  # Python's csv writer does not quote a lone \n then; Excel would
        rows = [[cell.replace("\n", " ") for cell in row] for row in rows]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(["respondent_id", "vraag1", "vraag2"])
    for k, row in enumerate(rows):
        writer.writerow(row)
        if trailing[k]:
            buffer.seek(buffer.tell() - len(line_end))  # extra empty fields at the end of the line
            buffer.write(delimiter * trailing[k] + line_end)
        buffer.write(line_end * blank_after[k])
    source = folder / "export.csv"
    source.write_bytes(buffer.getvalue().encode("utf-8"))
    text_cols, id_col = (["vraag1", "vraag2"], "respondent_id") if long else (["vraag1"], None)
    # a row with no fields is a blank line (skipped on both paths); one with only delimiters is a row
    expected_rows = sum(1 for k, row in enumerate(rows) if row or trailing[k])
    outcomes = []
    for name, min_bytes in (("one.csv", 1 << 40), ("chunked.csv", 0)):
        try:
            summary = label_file(source, folder / name, model, FakeEmbedder(), text_cols, id_col=id_col,
                                 stream_min_bytes=min_bytes, chunk_rows=chunk_rows)
            outcomes.append((summary, (folder / name).read_bytes()))
        except InputError as exc:
            outcomes.append((str(exc), None))
    assert outcomes[0] == outcomes[1]
    if expected_rows:
        assert outcomes[0][0].rows_read == expected_rows
