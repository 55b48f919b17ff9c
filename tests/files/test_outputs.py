"""pgtext.files.outputs: no command writes over an input, replaces a non-model folder, or loses a race."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from conftest import LABEL_ROWS, SLUGS, assert_one_line_error, invoke, write_labels

from pgtext.errors import OutputError
from pgtext.files import outputs
from pgtext.files.outputs import atomic_write, check_output_path, exclusive, same_path
from pgtext.files.tables import read_table

# --- the check: suffixes, inputs, folders ------------------------------------------------------


def test_an_output_is_never_an_input_by_any_name(tmp_path):
    source = tmp_path / "gold.csv"
    source.write_text("text,themes\n", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(source)
    os.link(source, tmp_path / "hard.csv")
    os.chdir(tmp_path)
    for name in [source, "./gold.csv", tmp_path / "sub" / ".." / "gold.csv", tmp_path / "link.csv", tmp_path / "hard.csv"]:
        if "sub" in str(name):
            (tmp_path / "sub").mkdir(exist_ok=True)
        with pytest.raises(OutputError, match="is an input file; pgtext never writes over its input"):
            check_output_path(name, [source], force=True)
    assert source.read_text(encoding="utf-8") == "text,themes\n"


def test_nothing_is_written_inside_an_input_folder(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (tmp_path / "alias").symlink_to(model)
    for name in [model / "uit.csv", tmp_path / "alias" / "uit.csv", model / "nieuw" / "uit.csv"]:
        with pytest.raises(OutputError, match=f"is inside the input folder {model}"):
            check_output_path(name, [model], force=True)


def test_suffixes_and_folders(tmp_path):
    with pytest.raises(OutputError) as err:
        check_output_path(tmp_path / "plot.csv", [], force=True, suffixes=outputs.IMAGE_SUFFIXES, option="--plot")
    assert str(err.value) == f"{tmp_path / 'plot.csv'}: --plot must end in .pdf, .png or .svg."
    (tmp_path / "map.csv").mkdir()
    with pytest.raises(OutputError, match="is a folder; --output names a file"):
        check_output_path(tmp_path / "map.csv", [], force=True)
    assert check_output_path(tmp_path / "a.SVG", [], False, outputs.IMAGE_SUFFIXES, "--chart") == tmp_path / "a.SVG"


def test_same_path_falls_back_to_resolved_names_when_files_do_not_exist(tmp_path, monkeypatch):
    assert same_path(tmp_path / "x" / ".." / "nieuw.csv", tmp_path / "nieuw.csv")
    assert not same_path(tmp_path / "a.csv", tmp_path / "b.csv")
    # a case-insensitive disk (Windows, macOS) reports two spellings as one file through samefile
    monkeypatch.setattr(os.path, "samefile", lambda a, b: str(a).lower() == str(b).lower())
    assert same_path(tmp_path / "Labels.CSV", tmp_path / "labels.csv")


def test_two_outputs_of_one_command_must_differ(tmp_path, labels_path, codebook_path):
    out = tmp_path / "eval.csv"
    result = invoke("agreement", labels_path, labels_path, "--codebook", codebook_path, "--output", out, "--json", tmp_path / "eval.json")
    assert result.exit_code == 0, result.output
    same = outputs.check_outputs
    with pytest.raises(OutputError, match="given to both --output and --chart"):
        same([(out, outputs.TABLE_SUFFIXES, "--output"), (out, outputs.TABLE_SUFFIXES, "--chart")], [], True)


def test_evaluate_plot_over_the_gold_file_is_refused_even_with_force(tmp_path, labels_path, model_dir):
    gold = tmp_path / "gold.png"  # even a gold file with an image's name
    shutil.copy(labels_path, gold)
    before = gold.read_bytes()
    result = invoke("evaluate", gold, "--model", model_dir, "--plot", gold, "--force")
    assert_one_line_error(result, f"{gold}: is an input file; pgtext never writes over its input. Choose another --plot.")
    assert gold.read_bytes() == before
    result = invoke("evaluate", tmp_path / "x.csv", "--model", model_dir, "--json", model_dir / "model_card.json", "--force")
    assert_one_line_error(
        result, f"{model_dir / 'model_card.json'}: is inside the input folder {model_dir}; pgtext never writes into its "
        "inputs. Choose another --json."
    )


def test_charts_follow_the_suffix(tmp_path, labels_path, model_dir):
    svg, pdf = tmp_path / "cal.svg", tmp_path / "cal.pdf"
    assert invoke("evaluate", labels_path, "--model", model_dir, "--plot", svg).exit_code == 0
    assert svg.read_bytes().lstrip().startswith((b"<?xml", b"<svg"))
    assert invoke("evaluate", labels_path, "--model", model_dir, "--plot", pdf).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_accept_never_merges_into_the_codebook(tmp_path, codebook_path):
    book = tmp_path / "codebook.csv"
    shutil.copy(codebook_path, book)
    before = book.read_bytes()
    sheet = tmp_path / "sheet.csv"
    pd.DataFrame([{"text": "Meer huizen.", "wonen": "1", "vervoer": "0", "eenzaamheid": "0"}]).to_csv(sheet, index=False)
    result = invoke("accept", sheet, "--labels", book)
    assert_one_line_error(result, f"{book}: is an input file; pgtext never writes over its input. Choose another --labels.")
    assert book.read_bytes() == before


# --- train --force: a model folder only ------------------------------------------------------------


@pytest.fixture
def work(tmp_path, labels_path, codebook_path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(labels_path, folder / "labels.csv")
    shutil.copy(codebook_path, folder / "codebook.csv")
    (folder / "notities.txt").write_text("wie codeert wat", encoding="utf-8")
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_train_force_never_replaces_the_folder_holding_the_labels(work):
    before = _snapshot(work)
    result = invoke("train", work / "labels.csv", "-o", work, "--force", "--embedder", "fake")
    assert_one_line_error(
        result, f"{work}: holds the input {work / 'labels.csv'}; a model folder holds only the model. Choose another -o/--output folder."
    )
    assert _snapshot(work) == before


def test_train_force_never_replaces_a_folder_that_is_not_a_model(work, tmp_path, labels_path, codebook_path):
    other = tmp_path / "other"
    shutil.copytree(work, other)
    (other / "labels.csv").unlink()
    before = _snapshot(other)
    result = invoke("train", labels_path, "--codebook", codebook_path, "-o", other, "--force", "--embedder", "fake")
    assert_one_line_error(
        result,
        f"{other}: is not a pgtext model folder (no model_card.json; it holds codebook.csv, notities.txt); "
        "--force replaces only a folder 'pgtext train' wrote. Choose another -o/--output folder.",
    )
    assert _snapshot(other) == before


def test_train_force_replaces_a_model_folder_and_nothing_beside_it(tmp_path, model_dir, labels_path, codebook_path):
    target = tmp_path / "models" / "mine"
    shutil.copytree(model_dir, target)
    (tmp_path / "models" / ".mine.old").mkdir()  # a user's folder with the name the old code used as backup
    (tmp_path / "models" / ".mine.old" / "bewaren.txt").write_text("x", encoding="utf-8")
    result = invoke("train", labels_path, "--codebook", codebook_path, "-o", target, "--force", "--embedder", "fake")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == [".mine.old", "mine"]
    assert (tmp_path / "models" / ".mine.old" / "bewaren.txt").exists()


def test_a_file_added_to_the_model_folder_during_training_is_kept(tmp_path, model_dir, labels_path, codebook_path, monkeypatch):
    from pgtext.model import store

    target = tmp_path / "mine"
    shutil.copytree(model_dir, target)
    model = store.load_model(model_dir)
    original_save = type(model.head).save

    def save_and_meanwhile(self, folder):
        (target / "notities.txt").write_text("net toegevoegd", encoding="utf-8")
        return original_save(self, folder)

    monkeypatch.setattr(type(model.head), "save", save_and_meanwhile)
    with pytest.raises(store.ModelError, match="is not a pgtext model folder"):
        store.save_model(model, target, force=True)
    assert (target / "notities.txt").read_text(encoding="utf-8") == "net toegevoegd"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]  # no staging or swapped-out folder left


# --- publishing: no replacing without --force, even when the file appears mid-run -----------------


def test_a_target_that_appears_during_the_write_is_left_alone(tmp_path):
    target = tmp_path / "uit.csv"

    def write(tmp: Path) -> None:
        tmp.write_text("mijn resultaat", encoding="utf-8")
        target.write_text("resultaat van een andere run", encoding="utf-8")  # another run got there first

    with pytest.raises(OutputError, match="appeared while pgtext was writing it"):
        atomic_write(target, write)
    assert target.read_text(encoding="utf-8") == "resultaat van een andere run"
    assert os.listdir(tmp_path) == ["uit.csv"]


def test_without_hard_links_the_name_is_reserved_instead(tmp_path, monkeypatch):
    def no_links(src, dst):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "uit.csv"
    atomic_write(target, lambda tmp: tmp.write_text("nieuw", encoding="utf-8"))
    assert target.read_text(encoding="utf-8") == "nieuw"

    def write(tmp: Path) -> None:
        tmp.write_text("tweede", encoding="utf-8")
        target.write_text("van een ander", encoding="utf-8")

    target.unlink()
    with pytest.raises(OutputError, match="appeared while pgtext was writing it"):
        atomic_write(target, write)
    assert target.read_text(encoding="utf-8") == "van een ander"
    assert os.listdir(tmp_path) == ["uit.csv"]


def test_two_label_runs_into_one_output_the_second_refuses(tmp_path, exports, model_dir, monkeypatch):
    """The output appears while this run is labelling (as when a second run finishes first): not replaced."""
    from tests.fakes import FakeEmbedder

    target = tmp_path / "uit.csv"

    class OtherRunFinishes(FakeEmbedder):
        def embed(self, texts):
            if not target.exists():
                target.write_text("de andere run", encoding="utf-8")
            return super().embed(texts)

    monkeypatch.setattr("pgtext.embed.get_embedder", lambda *a, **k: OtherRunFinishes())
    result = invoke("label", exports["comma"], "--model", model_dir, "--text-col", "vraag1", "-o", target, "--no-cache")
    assert result.exit_code == 1 and "appeared while pgtext was writing it" in result.stderr, result.output
    assert target.read_text(encoding="utf-8") == "de andere run"
    assert os.listdir(tmp_path) == ["uit.csv"]
    # with --force it is replaced, as asked
    result = invoke("label", exports["comma"], "--model", model_dir, "--text-col", "vraag1", "-o", target, "--force")
    assert result.exit_code == 0, result.output
    assert "predicted_themes" in target.read_text(encoding="utf-8-sig")


SIGTERM_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from pgtext.files.outputs import atomic_write

    def slow(tmp):
        tmp.write_text("half", encoding="utf-8")
        print("writing", flush=True)
        time.sleep(60)

    atomic_write(Path(sys.argv[1]), slow)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name == "nt", reason="POSIX signals")
def test_sigterm_mid_write_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out" / "uit.csv"
    proc = subprocess.Popen([sys.executable, "-c", SIGTERM_SCRIPT, str(target)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    assert len(list(target.parent.iterdir())) == 1  # the temporary file
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 128 + signal.SIGTERM
    assert list(target.parent.iterdir()) == []


# --- accept: two runs into one labels file -------------------------------------------------------


def test_the_lock_is_exclusive_and_says_who_holds_it(tmp_path):
    labels = tmp_path / "labels.csv"
    labels.write_text("text,themes\n", encoding="utf-8")
    with exclusive(labels):
        with pytest.raises(OutputError) as err:
            with exclusive(labels, wait=0.2):
                pass
    assert f"another pgtext run is changing it (process {os.getpid()} on " in str(err.value)
    assert os.listdir(tmp_path) == ["labels.csv"]  # the lock file is gone again
    # a lock file left by a run that was killed does not block anyone (its lock died with it)
    outputs.lock_path(labels).write_text("99999999 elders 2020-01-01 00:00:00\n", encoding="utf-8")
    with exclusive(labels, wait=0.2):
        pass


def test_without_flock_the_lock_file_itself_is_the_lock(tmp_path, monkeypatch):
    """The Windows way: an exclusive create; a lock file older than config.STALE_LOCK_SECONDS is taken over."""
    from pgtext import config

    monkeypatch.setattr(outputs, "fcntl", None)
    labels = tmp_path / "labels.csv"
    with exclusive(labels):
        assert outputs.lock_path(labels).read_text(encoding="utf-8").split()[0] == str(os.getpid())
        with pytest.raises(OutputError, match="another pgtext run is changing it"):
            with exclusive(labels, wait=0.2):
                pass
    assert not outputs.lock_path(labels).exists()
    outputs.lock_path(labels).write_text("123 elders 2020-01-01 00:00:00\n", encoding="utf-8")
    monkeypatch.setattr(config, "STALE_LOCK_SECONDS", 0.0)
    with exclusive(labels, wait=1.0):  # left behind by a killed run: taken over
        pass
    assert not outputs.lock_path(labels).exists()


def test_merge_refuses_when_the_labels_changed_right_before_the_rename(tmp_path, labels_path, codebook, monkeypatch):
    from pgtext.errors import LabelsError
    from pgtext.review import merge
    from pgtext.review.sheet import Decision

    labels = write_labels(tmp_path / "labels.csv")
    decision = Decision(row=2, text="Een nieuw antwoord over de bus.", themes=(0, 1, 0), question="", id="x1",
                        reviewer="AB", note="", prefilled=None)
    plan = merge.plan_merge(labels, [decision], codebook)
    copy = shutil.copyfile

    def copy_then_someone_edits(src, dst):  # the backup is taken; then an editor saves the labels
        copy(src, dst)
        with open(labels, "a", encoding="utf-8") as handle:
            handle.write("a999,Iemand anders typte dit.,wonen\r\n")

    monkeypatch.setattr(merge.shutil, "copyfile", copy_then_someone_edits)
    with pytest.raises(LabelsError, match="changed while the sheet was being merged"):
        merge.write_merge(plan)
    assert "Iemand anders typte dit." in labels.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


ACCEPTS = 3


def test_concurrent_accepts_into_one_labels_file_lose_nothing(tmp_path, labels_path, codebook_path):
    labels = tmp_path / "labels.csv"
    shutil.copy(labels_path, labels)
    shutil.copy(codebook_path, tmp_path / "codebook.csv")
    sheets = []
    for k in range(ACCEPTS):
        rows = [{"text": f"Run {k} antwoord {i}: meer bussen in wijk {k}{i}.", **dict.fromkeys(SLUGS, "0"), "vervoer": "1"}
                for i in range(3)]
        sheets.append(tmp_path / f"sheet{k}.csv")
        pd.DataFrame(rows).to_csv(sheets[-1], index=False)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    procs = [
        subprocess.Popen([sys.executable, "-m", "pgtext", "accept", str(sheet), "--labels", str(labels), "--source", f"run{k}"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
        for k, sheet in enumerate(sheets)
    ]
    results = [(p.wait(timeout=180), p.stdout.read(), p.stderr.read()) for p in procs]
    texts = set(read_table(labels).frame["text"])
    for k, (code, out, err) in enumerate(results):
        # each run waits for the one before it and merges into its result: every "Wrote" is true
        assert code == 0 and "Traceback" not in out + err, (out, err)
        assert f"Wrote {labels}" in out and "Added 3," in out
        assert {f"Run {k} antwoord {i}: meer bussen in wijk {k}{i}." for i in range(3)} <= texts
    assert len(texts) == len(LABEL_ROWS) + 3 * ACCEPTS
    assert not list(tmp_path.glob(".labels.csv*"))  # no lock or temporary file left
    assert len(list(tmp_path.glob("labels.csv.*.bak"))) == ACCEPTS  # one backup per write, none overwritten
