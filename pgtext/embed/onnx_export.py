"""Export a sentence-transformers model to one int8 ONNX file for the onnx backend.

Runs once per model and machine (about 10 s) and needs torch, transformers, onnx and
onnxruntime, all imported here only. The recipe, measured on the shipped MiniLM
against the torch backend on the sample exports (benchmarks/speed.py checks it again):

1. The transformer (with plain attention) and its pooling are traced into one fp32 ONNX graph.
2. Activation outliers are moved into the weights (SmoothQuant, ``SMOOTH_ALPHA``), using
   per-channel activation ranges on ``CALIBRATION``, a few generic Dutch sentences.
3. Every MatMul with constant weights is quantised to int8 (dynamic activations, per-channel
   weights) except the feed-forward down-projections (more inputs than outputs) whose input has an
   outlier channel (one channel beyond ``OUTLIER_RATIO`` x the 99th percentile channel's range on the
   calibration text), which stay fp32: quantised, such a channel sets the int8 step for every token in
   the batch. In the shipped MiniLM that keeps layers 0-3 fp32 (one channel 13-25 against 3-5) and
   quantises layers 4-5 (sq3; sq2 kept all six fp32): 11% faster, scores as close to torch as before.
4. The file is made small (since sq2): the word-embedding table, two thirds of the model, is stored as
   int8 with one scale per row (the rows an answer uses are looked up, then scaled back), and the
   fp32 weights of step 3 as fp16 (ONNX Runtime folds them back to fp32 when it loads the file).
   The shipped MiniLM goes from 69 to about 26 MB.

Plain dynamic int8 on every MatMul moved theme scores by up to 0.033 and changed 1.1% of
the 450 sample answers' theme sets; with steps 2 and 3 scores moved by at most 0.015 and
one theme set changed. Quantising every down-projection (smoothed) moved scores by up to 0.046
on 3,000 generated answers; layers 4-5 alone by 0.018, as with all six in fp32 (0.019).
Activations are quantised per batch, so an answer's vector can differ a little with the
answers batched beside it.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

#: Part of the embedder id and the file name: change it whenever the recipe changes the vectors.
RECIPE = "onnx-int8-sq3"
SMOOTH_ALPHA = 0.7
#: A feed-forward down-projection stays fp32 when its input has a channel this many times the 99th percentile
#: channel's range on the calibration text (see step 3 of the module docstring).
OUTLIER_RATIO = 2.5
OPSET = 17
OUTPUT = "embedding"

#: Calibration text for the activation ranges. Outlier channels belong to the model, not
#: to the data, so generic sentences do; no survey answers are used.
CALIBRATION = (
    "De gemeente wil meer samenwerken met huisartsen en wijkteams in de buurt.",
    "Ik vind het belangrijk dat bewoners zelf kunnen meebeslissen over hun eigen wijk.",
    "Graag meer duidelijkheid over de planning en wie waarvoor verantwoordelijk is.",
    "Geen idee.",
    "Nee",
    "Weet ik niet / n.v.t.",
    "Het project loopt goed, maar de financiering na volgend jaar is nog onzeker.",
    "We hebben te weinig tijd en mensen om alles goed op te pakken naast het gewone werk.",
    "Een overzicht van goede voorbeelden uit andere gemeenten zou ons enorm helpen.",
    "Bijeenkomsten waar je collega's uit andere organisaties ontmoet en ervaringen deelt.",
    "De zorgverzekeraar zou structureel moeten meebetalen aan preventie en welzijn.",
    "Begin bij wat er al is in plaats van steeds iets nieuws te bedenken.",
    "Training voor medewerkers, liefst op locatie en niet alleen online.",
    "Ik werk hier pas sinds kort, dus dat kan ik nog niet goed beoordelen.",
    "Onze organisatie gebruikt het gesprekshulpmiddel af en toe bij complexe situaties met cliënten.",
    "Er zijn veel losse initiatieven, maar niemand heeft het totaalbeeld.",
    "Meer aandacht voor eenzaamheid onder ouderen en jongeren, en voor mensen met schulden.",
    "Het zou helpen als de regio één gezamenlijke visie en een meerjarenplan opstelt, met doelen die we samen "
    "monitoren en evalueren, zodat iedereen weet waar we naartoe werken en welke rol hij daarin heeft.",
    "Prima zo.",
    "Vrijwilligers zijn onmisbaar, maar ze krijgen te weinig ondersteuning en waardering.",
    "The municipality and the health insurer should agree on long-term funding for prevention.",
    "Please share examples of what works and what does not work in other regions.",
    "Maatwerk per gemeente, want elke gemeente heeft een andere situatie en andere partners.",
    "Een nieuwsbrief met korte praktijkverhalen, niet te lang, één keer per kwartaal.",
    "Het beleid staat op papier, maar in de uitvoering merk je er nog weinig van.",
    "Wethouders, zorgaanbieders, scholen en verzekeraars samen aan tafel krijgen.",
    "Coaching van teams die net beginnen, met iemand die de praktijk echt kent.",
    "Betere afstemming tussen de verschillende programma's, nu zijn het allemaal losse sporen.",
    "Zorg dat de aanpak ook werkt voor mensen die de taal niet goed spreken of laaggeletterd zijn.",
    "In onze wijk is de huisartsenpraktijk het eerste aanspreekpunt voor veel bewoners.",
    "Minder vergaderen, meer doen.",
    "Het thema staat bij ons op de agenda van het managementteam, maar er is geen budget voor.",
    "Een digitale kaart met alle activiteiten, trainers en contactpersonen in de regio zou handig zijn.",
    "Monitoring van de voortgang op regionaal niveau, gekoppeld aan de afgesproken doelen.",
    "Ondersteuning bij het schrijven van subsidieaanvragen en bij het vinden van fondsen.",
    "We merken dat jongeren moeilijk te bereiken zijn via de bekende kanalen.",
    "Sommige collega's zijn enthousiast, anderen zien het als weer een nieuwe hype.",
    "Kleine gemeenten hebben minder capaciteit en hebben daarom meer hulp nodig bij de uitvoering.",
    "Het gesprek gaat nu vooral over ziekte en zorg, terwijl het over meedoen en zingeving zou moeten gaan.",
    "Ik heb geen suggesties.",
    "Leg de regie bij één partij die verbindt en de partijen bij elkaar houdt.",
    "Een e-learning is prima als start, maar je leert het pas echt door het samen te doen.",
    "Onze cliënten waarderen het dat we vragen wat voor hen belangrijk is in het leven.",
    "Graag ook aandacht voor werkdruk en gezondheid van de medewerkers zelf.",
    "De samenwerking tussen het sociaal domein en het zorgdomein kan echt beter, er wordt nog te veel langs "
    "elkaar heen gewerkt, bijvoorbeeld bij ontslag uit het ziekenhuis of bij de overgang van jeugd naar "
    "volwassenenzorg.",
    "Ja",
    "Geen opmerkingen, bedankt voor het onderzoek.",
    "Het is lastig om resultaten te meten, want de effecten zie je pas na jaren.",
)


def export_int8(
    transformer_dir: Path, pooling: str, with_token_types: bool, calibration: list[dict[str, np.ndarray]], target: Path
) -> None:
    """Write the int8 model to ``target`` atomically (a temporary file beside it, then a rename).

    ``calibration`` holds input batches (input_ids, attention_mask[, token_type_ids]) of ``CALIBRATION``.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    try:
        with _quiet():
            fp32 = work / "fp32.onnx"
            _trace(transformer_dir, pooling, with_token_types, fp32)
            smoothed, keep_fp32 = _smooth(fp32, calibration, work / "smoothed.onnx")
            quantised = work / "int8.onnx"
            _quantise(smoothed, keep_fp32, quantised)
            compact = work / "compact.onnx"
            _compact(quantised, compact)
        os.replace(compact, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


#: The int8 probe: one row of 255s times a column of 127s over ``PROBE_DEPTH`` terms (``pgtext.embed.onnx``).
PROBE_DEPTH = 64


def int8_probe_model() -> bytes:
    """A tiny ONNX graph, Y = MatMulInteger(A uint8 [1, 64], B int8 [64, 16] constant), as bytes.

    With A all 255 and B all 127 the true sum is 255 * 127 * 64; a kernel that adds pairs of
    products in 16 bits (ONNX Runtime's fast u8s8 kernel on x86 without VNNI) gets less. Written
    to ``pgtext/data/int8_probe.onnx`` by scripts/export_default_onnx.py; deterministic bytes.
    """
    from onnx import TensorProto, helper, numpy_helper

    weights = numpy_helper.from_array(np.full((PROBE_DEPTH, 16), 127, dtype=np.int8), "b")
    node = helper.make_node("MatMulInteger", ["a", "b"], ["y"], name="probe")
    graph = helper.make_graph(
        [node], "int8_probe",
        [helper.make_tensor_value_info("a", TensorProto.UINT8, [1, PROBE_DEPTH])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, [1, 16])],
        initializer=[weights],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="pgtext")
    model.ir_version = 8
    return model.SerializeToString()


@contextmanager
def _quiet() -> Iterator[None]:
    """The exporter and quantiser warn and log freely; the library never prints."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)
        try:
            yield
        finally:
            logging.disable(logging.NOTSET)


def _trace(transformer_dir: Path, pooling: str, with_token_types: bool, target: Path) -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"  # a local folder never needs the network
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # in case transformers was imported before

    class Pooled(torch.nn.Module):
        def __init__(self, model) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            extra = {"token_type_ids": token_type_ids} if with_token_types else {}
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask, **extra).last_hidden_state
            if pooling == "cls":
                return hidden[:, 0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    # Plain attention ops trace into a leaner graph than SDPA's masking (about 12% faster here).
    model = Pooled(AutoModel.from_pretrained(str(transformer_dir), attn_implementation="eager")).eval()
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if with_token_types else [])
    example = tuple(torch.ones((2, 8), dtype=torch.long) for _ in names)
    axes = {name: {0: "batch", 1: "tokens"} for name in names}
    axes[OUTPUT] = {0: "batch"}
    with torch.no_grad():
        torch.onnx.export(
            model, example, str(target), dynamo=False, input_names=names, output_names=[OUTPUT],
            dynamic_axes=axes, opset_version=OPSET,
        )


def _smooth(source: Path, calibration: list[dict[str, np.ndarray]], target: Path) -> tuple[Path, list[str]]:
    """Scale each quantised MatMul's input down and its weight rows up by the same factors.

    Returns the new model and the MatMul nodes to keep in fp32.
    """
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(source))
    weights = {init.name: init for init in model.graph.initializer}
    for i, node in enumerate(model.graph.node):
        node.name = node.name or f"node_{i}"
    groups: dict[str, list] = {}
    down_projections: set[str] = set()
    for node in model.graph.node:
        if node.op_type == "MatMul" and node.input[1] in weights:
            rows, cols = weights[node.input[1]].dims[-2:]
            groups.setdefault(node.input[0], []).append(node)
            if rows > cols:
                down_projections.add(node.input[0])
    ranges = _activation_ranges(model, list(groups), calibration)
    keep_fp32: list[str] = []
    for tensor in sorted(down_projections):
        if _has_outlier_channel(ranges[tensor]):
            keep_fp32.extend(node.name for node in groups.pop(tensor))
    placed: dict[str, object] = {}
    for tensor, nodes in groups.items():
        matrices = [numpy_helper.to_array(weights[n.input[1]]) for n in nodes]
        weight_range = np.max([np.abs(m).max(axis=1) for m in matrices], axis=0)
        scale = np.maximum(ranges[tensor], 1e-5) ** SMOOTH_ALPHA / np.maximum(weight_range, 1e-5) ** (1 - SMOOTH_ALPHA)
        scale = np.clip(scale, 1e-3, 1e3).astype(np.float32)
        for node, matrix in zip(nodes, matrices):
            scaled = (matrix * scale[:, None]).astype(np.float32)
            weights[node.input[1]].CopyFrom(numpy_helper.from_array(scaled, node.input[1]))
        inverse = f"{tensor}_smooth_inverse"
        model.graph.initializer.append(numpy_helper.from_array((1.0 / scale).astype(np.float32), inverse))
        mul = helper.make_node("Mul", [tensor, inverse], [f"{tensor}_smoothed"], name=f"{tensor}_smooth")
        for node in nodes:
            node.input[0] = f"{tensor}_smoothed"
        placed[nodes[0].name] = mul
    ordered = []
    for node in model.graph.node:  # each Mul goes right before its first consumer: still topological
        if node.name in placed:
            ordered.append(placed[node.name])
        ordered.append(node)
    del model.graph.node[:]
    model.graph.node.extend(ordered)
    onnx.save(model, str(target))
    return target, keep_fp32


def _has_outlier_channel(channel_ranges: np.ndarray) -> bool:
    """True when one input channel reaches far beyond the rest (``OUTLIER_RATIO`` x the 99th percentile channel)."""
    return float(channel_ranges.max()) > OUTLIER_RATIO * float(np.quantile(channel_ranges, 0.99))


def _activation_ranges(model, tensors: list[str], calibration: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Largest absolute value per channel of each tensor over the real (unpadded) calibration tokens."""
    import onnx
    import onnxruntime as ort
    from onnx import helper

    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    for tensor in tensors:
        probe.graph.output.append(helper.make_tensor_value_info(tensor, onnx.TensorProto.FLOAT, None))
    session = ort.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"])
    ranges: dict[str, np.ndarray] = {}
    for feeds in calibration:
        real = feeds["attention_mask"].astype(bool)
        for tensor, values in zip(tensors, session.run(tensors, feeds)):
            tokens = values[real] if values.shape[:2] == real.shape else values.reshape(-1, values.shape[-1])
            peak = np.abs(tokens).max(axis=0)
            ranges[tensor] = np.maximum(ranges[tensor], peak) if tensor in ranges else peak
    return ranges


def _quantise(source: Path, keep_fp32: list[str], target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(source), str(target), weight_type=QuantType.QInt8, per_channel=True,
        op_types_to_quantize=["MatMul"], nodes_to_exclude=keep_fp32,
    )



def _compact(source: Path, target: Path) -> None:
    """Store the word-embedding table as int8 per row and the remaining fp32 MatMul weights as fp16."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(source))
    graph = model.graph
    weights = {init.name: init for init in graph.initializer}
    uses: dict[str, int] = {}
    for node in graph.node:
        for name in node.input:
            uses[name] = uses.get(name, 0) + 1

    def own(name: str) -> bool:  # a float32 constant only this node reads
        return name in weights and uses.get(name) == 1 and weights[name].data_type == TensorProto.FLOAT

    lookups = [n for n in graph.node if n.op_type == "Gather" and own(n.input[0]) and len(weights[n.input[0]].dims) == 2]
    table_node = max(lookups, key=lambda n: int(np.prod(weights[n.input[0]].dims)), default=None)
    replaced: dict[str, list] = {}
    if table_node is not None:
        name, ids, out = table_node.input[0], table_node.input[1], table_node.output[0]
        table = numpy_helper.to_array(weights[name])
        scale = np.abs(table).max(axis=1, keepdims=True) / 127.0
        scale[scale == 0] = 1.0
        quantised = np.clip(np.round(table / scale), -127, 127).astype(np.int8)
        weights[name].CopyFrom(numpy_helper.from_array(quantised, name))
        graph.initializer.append(numpy_helper.from_array(scale.astype(np.float32), f"{name}_row_scale"))
        replaced[table_node.name] = [
            helper.make_node("Gather", [name, ids], [f"{out}_int8"], name=f"{table_node.name}_int8", axis=0),
            helper.make_node("Cast", [f"{out}_int8"], [f"{out}_unscaled"], name=f"{table_node.name}_cast",
                             to=TensorProto.FLOAT),
            helper.make_node("Gather", [f"{name}_row_scale", ids], [f"{out}_scale"], name=f"{table_node.name}_scale",
                             axis=0),
            helper.make_node("Mul", [f"{out}_unscaled", f"{out}_scale"], [out], name=f"{table_node.name}_scaled"),
        ]
    for node in graph.node:
        if node.op_type == "MatMul" and own(node.input[1]):
            name = node.input[1]
            half = numpy_helper.to_array(weights[name]).astype(np.float16)
            weights[name].CopyFrom(numpy_helper.from_array(half, f"{name}_fp16"))
            replaced[node.name] = [
                helper.make_node("Cast", [f"{name}_fp16"], [name], name=f"{node.name}_fp32", to=TensorProto.FLOAT),
                node,
            ]
    ordered = []
    for node in graph.node:
        ordered.extend(replaced.get(node.name, [node]))
    del graph.node[:]
    graph.node.extend(ordered)
    onnx.checker.check_model(model)
    onnx.save(model, str(target))
