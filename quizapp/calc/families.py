"""Question families for quizzes: seeded random layer configurations with sensible ranges, the
right answer with its derivation, and wrong options built from real misconceptions, each labelled
with the mistake it stands for. No wrong option equals the right answer.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from quizapp.calc.expr import ExprError, format_shape, format_value
from quizapp.calc.layers import SPECS, LayerResult
from quizapp.calc.stack import StackResult, analyze

ASKS = ("params", "output_shape")


@dataclass(frozen=True)
class Config:
    """A random layer on a random input, as text."""

    layers: str
    input_shape: tuple[int | None, ...]


@dataclass(frozen=True)
class Option:
    text: str
    mistake: str | None  # None for the right answer


@dataclass(frozen=True)
class Question:
    layer: str  # the layer family, e.g. "LSTM"
    ask: str  # "params" | "output_shape"
    config: Config
    prompt: str
    answer: str
    derivation: str
    options: tuple[Option, ...]  # the right answer and the wrong ones, shuffled
    seed: int


def _kw(**kwargs: object) -> str:
    return "".join(f", {k}={format_value(v)}" for k, v in kwargs.items())


def _maybe(rng: random.Random, p: float, **kwargs: object) -> dict[str, object]:
    return {k: v for k, v in kwargs.items() if rng.random() < p}


def _conv_like(rng: random.Random, rank: int, name: str) -> Config:
    groups = rng.choice([1, 1, 1, 2]) if name != "Conv2DTranspose" else 1
    filters = groups * rng.randint(1, 16)
    k = rng.randint(1, 5) if rank > 1 or rng.random() < 0.5 else rng.randint(1, 7)
    kernel: object = k if rng.random() < 0.7 else tuple(rng.randint(1, 4) for _ in range(rank))
    extra: dict[str, object] = {}
    stride = rng.choice([1, 1, 2, 3])
    if stride > 1:
        extra["strides"] = stride
        if rng.random() < 0.05:  # a combination Keras rejects
            extra["dilation_rate"] = 2
    elif rng.random() < 0.25:
        extra["dilation_rate"] = rng.randint(2, 3)
    pads = ["valid", "same"] + (["causal"] if name == "Conv1D" else [])
    extra["padding"] = rng.choice(pads)
    if name == "Conv2DTranspose" and stride > 1 and rng.random() < 0.3:
        extra["output_padding"] = rng.randrange(stride)
    if groups > 1:
        extra["groups"] = groups
    extra.update(_maybe(rng, 0.2, use_bias=False))
    extra.update(_maybe(rng, 0.05, trainable=False))
    cf = rng.random() < 0.2
    if cf:
        extra["data_format"] = "channels_first"
    channels = groups * rng.randint(1, 4) + (1 if groups > 1 and rng.random() < 0.15 else 0)
    lo = 6 if rank == 3 else 8
    hi = 10 if rank == 3 else 32
    spatial = [rng.randint(lo, hi) for _ in range(rank)]
    shape = (channels, *spatial) if cf else (*spatial, channels)
    return Config(f"{name}({filters}, {format_value(kernel)}{_kw(**extra)})", tuple(shape))


def _depthwise_like(rng: random.Random, p_multiplier: float) -> tuple[str, tuple[int, ...]]:
    """The keyword arguments and the input of a depthwise or separable convolution."""
    extra: dict[str, object] = {"padding": rng.choice(["valid", "same"])}
    if rng.random() < 0.5:
        extra["strides"] = rng.randint(1, 3)
    if rng.random() < p_multiplier:
        extra["depth_multiplier"] = rng.randint(1, 3)
    extra.update(_maybe(rng, 0.2, use_bias=False))
    shape = (rng.randint(8, 32), rng.randint(8, 32), rng.randint(1, 8))
    return _kw(**extra), shape


def _depthwise(rng: random.Random) -> Config:
    k = rng.randint(1, 5)
    kw, shape = _depthwise_like(rng, 0.6)
    return Config(f"DepthwiseConv2D({k}{kw})", shape)


def _separable(rng: random.Random) -> Config:
    f, k = rng.randint(1, 32), rng.randint(1, 5)
    kw, shape = _depthwise_like(rng, 0.5)
    return Config(f"SeparableConv2D({f}, {k}{kw})", shape)


def _rnn_call(rng: random.Random, name: str, allow_state: bool = True) -> str:
    extra: dict[str, object] = _maybe(rng, 0.4, return_sequences=True)
    if allow_state:
        extra.update(_maybe(rng, 0.15, return_state=True))
    extra.update(_maybe(rng, 0.15, use_bias=False))
    extra.update(_maybe(rng, 0.05, trainable=False))
    if name == "GRU" and rng.random() < 0.4:
        extra["reset_after"] = False
    return f"{name}({rng.randint(1, 32)}{_kw(**extra)})"


def _rnn(name: str) -> Callable[[random.Random], Config]:
    def make(rng: random.Random) -> Config:
        return Config(_rnn_call(rng, name), (rng.randint(2, 20), rng.randint(1, 16)))

    return make


def _bidirectional(rng: random.Random) -> Config:
    inner = _rnn_call(rng, rng.choice(["SimpleRNN", "LSTM", "GRU"]), allow_state=False)
    mode = rng.choice(["concat", "concat", "sum", "mul", "ave", None])
    extra = "" if mode == "concat" else f", merge_mode={format_value(mode)}"
    return Config(f"Bidirectional({inner}{extra})", (rng.randint(2, 20), rng.randint(1, 16)))


def _dense(rng: random.Random) -> Config:
    rank = rng.choice([1, 1, 2, 3])
    shape = tuple(rng.randint(2, 64) for _ in range(rank))
    extra = _maybe(rng, 0.2, use_bias=False)
    extra.update(_maybe(rng, 0.05, trainable=False))
    if rng.random() < 0.3:
        extra["activation"] = rng.choice(["relu", "sigmoid", "softmax", "tanh"])
    return Config(f"Dense({rng.randint(1, 128)}{_kw(**extra)})", shape)


def _embedding(rng: random.Random) -> Config:
    shape = (rng.randint(2, 50),) if rng.random() < 0.8 else (rng.randint(2, 8), rng.randint(2, 8))
    extra = _maybe(rng, 0.2, mask_zero=True)
    return Config(f"Embedding({rng.randint(5, 2000)}, {rng.randint(2, 64)}{_kw(**extra)})", shape)


def _batchnorm(rng: random.Random) -> Config:
    shape = rng.choice(
        [(rng.randint(2, 64),), (rng.randint(4, 16), rng.randint(4, 16), rng.randint(1, 32))]
    )
    extra = _maybe(rng, 0.2, center=False, scale=False, trainable=False)
    if len(shape) > 1 and rng.random() < 0.3:
        extra["axis"] = rng.choice([1, 2])
    return Config(f"BatchNormalization({_kw(**extra)[2:]})", shape)


def _layernorm(rng: random.Random) -> Config:
    shape = (rng.randint(2, 20), rng.randint(2, 32))
    extra = _maybe(rng, 0.2, center=False, scale=False)
    if rng.random() < 0.25:
        extra["axis"] = (1, 2)
    return Config(f"LayerNormalization({_kw(**extra)[2:]})", shape)


def _pool(name: str, rank: int) -> Callable[[random.Random], Config]:
    def make(rng: random.Random) -> Config:
        pool = rng.randint(2, 3)
        extra: dict[str, object] = {}
        if rng.random() < 0.4:
            extra["strides"] = rng.randint(1, 3)
        if rng.random() < 0.4:
            extra["padding"] = "same"
        spatial = [rng.randint(6, 32) for _ in range(rank)]
        channels = rng.randint(1, 16)
        shape = (*spatial, channels)
        if rng.random() < 0.2:
            extra["data_format"] = "channels_first"
            shape = (channels, *spatial)
        first = str(pool) if "Average" in name or rng.random() < 0.6 else ""
        args = (first + _kw(**extra)) if first else _kw(**extra)[2:]
        return Config(f"{name}({args})", shape)

    return make


def _global(name: str, rank: int) -> Callable[[random.Random], Config]:
    def make(rng: random.Random) -> Config:
        extra = _maybe(rng, 0.3, keepdims=True)
        shape = (*[rng.randint(4, 32) for _ in range(rank)], rng.randint(1, 64))
        if rng.random() < 0.2:
            extra["data_format"] = "channels_first"
            shape = (shape[-1], *shape[:-1])
        return Config(f"{name}({_kw(**extra)[2:]})", shape)

    return make


def _flatten(rng: random.Random) -> Config:
    rank = rng.randint(1, 3)
    fmt = '(data_format="channels_first")' if rng.random() < 0.2 else "()"
    return Config(f"Flatten{fmt}", tuple(rng.randint(2, 16) for _ in range(rank)))


def _dropout(rng: random.Random) -> Config:
    rank = rng.randint(1, 3)
    shape = tuple(rng.randint(2, 32) for _ in range(rank))
    return Config(f"Dropout({rng.choice([0.1, 0.2, 0.25, 0.3, 0.5])})", shape)


def _reshape(rng: random.Random) -> Config:
    a, b = rng.randint(2, 12), rng.randint(2, 12)
    target = rng.choice([(b, a), (a * b,), (-1,), (a, b, 1), (-1, a)])
    return Config(f"Reshape({format_value(target)})", (a, b))


def _attention(rng: random.Random) -> Config:
    heads, kd = rng.randint(1, 4), rng.randint(2, 16)
    extra: dict[str, object] = {}
    if rng.random() < 0.3:
        extra["value_dim"] = rng.randint(2, 16)
    if rng.random() < 0.2:
        extra["output_shape"] = rng.randint(2, 32)
    elif rng.random() < 0.1:
        extra["output_shape"] = (rng.randint(2, 4), rng.randint(2, 4))
    extra.update(_maybe(rng, 0.2, use_bias=False, use_gate=True))
    return Config(
        f"MultiHeadAttention({heads}, {kd}{_kw(**extra)})", (rng.randint(2, 16), rng.randint(2, 32))
    )


GENERATORS: dict[str, Callable[[random.Random], Config]] = {
    "Dense": _dense,
    "Conv1D": lambda r: _conv_like(r, 1, "Conv1D"),
    "Conv2D": lambda r: _conv_like(r, 2, "Conv2D"),
    "Conv3D": lambda r: _conv_like(r, 3, "Conv3D"),
    "Conv2DTranspose": lambda r: _conv_like(r, 2, "Conv2DTranspose"),
    "DepthwiseConv2D": _depthwise,
    "SeparableConv2D": _separable,
    "SimpleRNN": _rnn("SimpleRNN"),
    "LSTM": _rnn("LSTM"),
    "GRU": _rnn("GRU"),
    "Bidirectional": _bidirectional,
    "Embedding": _embedding,
    "BatchNormalization": _batchnorm,
    "LayerNormalization": _layernorm,
    "MaxPooling1D": _pool("MaxPooling1D", 1),
    "MaxPooling2D": _pool("MaxPooling2D", 2),
    "AveragePooling1D": _pool("AveragePooling1D", 1),
    "AveragePooling2D": _pool("AveragePooling2D", 2),
    "GlobalAveragePooling1D": _global("GlobalAveragePooling1D", 1),
    "GlobalAveragePooling2D": _global("GlobalAveragePooling2D", 2),
    "GlobalMaxPooling1D": _global("GlobalMaxPooling1D", 1),
    "GlobalMaxPooling2D": _global("GlobalMaxPooling2D", 2),
    "Flatten": _flatten,
    "Dropout": _dropout,
    "Reshape": _reshape,
    "MultiHeadAttention": _attention,
}
assert set(GENERATORS) == set(SPECS)


def random_config(rng: random.Random, layer: str) -> Config:
    """A random configuration of ``layer``; may be one Keras rejects (tests use both kinds)."""
    return GENERATORS[layer](rng)


def valid_config(rng: random.Random, layer: str, tries: int = 50) -> tuple[Config, StackResult]:
    """A random configuration the formulas accept, with its result."""
    for _ in range(tries):
        cfg = random_config(rng, layer)
        try:
            return cfg, analyze(cfg.layers, cfg.input_shape)
        except ExprError:
            continue
    raise RuntimeError(f"no valid {layer} configuration in {tries} tries")


# ---------------------------------------------------------------------------------------------
# Misconceptions: (label, wrong value) pairs computed from the layer's own numbers.


def _param_mistakes(r: LayerResult) -> list[tuple[str, int]]:
    cfg = _config_of(r)
    name = r.class_name
    p = r.params
    out: list[tuple[str, int]] = []
    shape = r.input_shape
    if name == "Dense":
        n, u = shape[-1] or 0, cfg["units"]
        out += [("forgot the bias", n * u), ("one bias per input instead of per unit", n * u + n)]
        if len(shape) > 2:
            flat = 1
            for d in shape[1:]:
                flat *= d or 1
            out.append(("flattened the input: Dense only acts on the last axis", (flat + 1) * u))
        out.append(("swapped inputs and units for the bias", (u + 1) * n))
    elif name in ("Conv1D", "Conv2D", "Conv3D", "Conv2DTranspose"):
        k = 1
        for v in cfg["kernel_size"]:
            k *= v
        f = cfg["filters"]
        cf = cfg["data_format"] == "channels_first"
        ch = (shape[1] if cf else shape[-1]) or 1
        g = cfg.get("groups", 1)
        b = f if cfg["use_bias"] else 0
        out += [
            ("forgot the bias", k * (ch // g) * f),
            ("counted filters as input channels", k * f * f + b),
            ("forgot the input channels", k * f + b),
            ("added one bias per input channel", k * (ch // g) * f + ch),
        ]
        if g > 1:
            out.append(("ignored groups", k * ch * f + b))
        if isinstance(cfg["kernel_size"], tuple) and len(cfg["kernel_size"]) > 1:
            out.append(
                ("counted the kernel as one side only", cfg["kernel_size"][0] * (ch // g) * f + b)
            )
    elif name in ("LSTM", "GRU", "SimpleRNN"):
        m, n = shape[-1] or 0, cfg["units"]
        gates = {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}[name]
        bias = cfg["use_bias"]
        out += [
            ("forgot the recurrent weights", gates * (m + (1 if bias else 0)) * n),
            ("forgot the bias", gates * (m + n) * n),
        ]
        if name == "LSTM":
            out += [
                ("forgot the four gates", (m + 1 + n) * n),
                ("used three gates like a GRU", 3 * (m + 1 + n) * n),
            ]
        if name == "GRU":
            other = 3 * n * (n + m + (1 if cfg["reset_after"] else 2)) if bias else p + 1
            out += [
                ("GRU with the other reset_after", other),
                ("used four gates like an LSTM", 4 * (m + 1 + n) * n),
            ]
        if name == "SimpleRNN":
            out.append(("used four gates like an LSTM", 4 * p))
    elif name == "Bidirectional":
        out += [
            ("forgot that Bidirectional holds two copies", p // 2),
            ("counted four copies", 2 * p),
        ]
    elif name == "Embedding":
        v, d = cfg["input_dim"], cfg["output_dim"]
        seq = shape[1] or 1
        out += [
            ("added a bias per dimension", v * d + d),
            ("used the sequence length instead of the vocabulary", seq * d),
        ]
    elif name == "BatchNormalization":
        ch = p // max(len(r.weights), 1)
        out += [
            ("forgot the moving mean and variance", r.trainable or 2 * ch),
            ("counted only gamma", ch),
            ("six vectors per channel", 6 * ch),
        ]
    elif name == "LayerNormalization":
        size = p // max(len(r.weights), 1) if r.weights else 1
        out += [
            ("counted moving statistics like BatchNormalization", 4 * size),
            ("counted only gamma", size),
        ]
    elif name == "MultiHeadAttention":
        d = shape[-1] or 0
        out += [
            (
                "forgot the output projection",
                p - sum(w.size for w in r.weights if w.name.startswith("attention_output")),
            ),
            ("forgot the biases", sum(w.size for w in r.weights if w.name.endswith("kernel"))),
            ("treated key_dim as the total size, not per head", p // max(cfg["num_heads"], 1)),
            (
                "counted one projection shared by query, key and value",
                p - 2 * d * cfg["num_heads"] * cfg["key_dim"],
            ),
        ]
    elif name == "DepthwiseConv2D":
        out += [
            ("treated it as a full Conv2D", p * max(r.input_shape[-1] or 1, 2)),
            ("forgot the bias", sum(w.size for w in r.weights if w.name == "kernel")),
        ]
    elif name == "SeparableConv2D":
        out += [
            ("forgot the pointwise kernel", p - r.weights[1].size),
            ("forgot the depthwise kernel", p - r.weights[0].size),
        ]
    else:  # weightless layers
        out += [
            ("thought the layer has weights", max(r.input_shape[-1] or 1, 1)),
            ("counted one weight per output value", _numel(r.output_shapes[0])),
            ("counted one weight per input value", _numel(r.input_shape)),
            ("a scale and an offset per channel, like normalization", 2 * (r.input_shape[-1] or 1)),
        ]
    return [(label, v) for label, v in out if isinstance(v, int)]


def _shape_mistakes(r: LayerResult) -> list[tuple[str, str]]:
    cfg = _config_of(r)
    name = r.class_name
    out_shape = r.output_shapes[0]
    out: list[tuple[str, str]] = []
    inp = r.input_shape
    if name in (
        "Conv1D",
        "Conv2D",
        "Conv3D",
        "MaxPooling1D",
        "MaxPooling2D",
        "AveragePooling1D",
        "AveragePooling2D",
        "DepthwiseConv2D",
        "SeparableConv2D",
    ):
        cf = cfg.get("data_format") == "channels_first"
        sp_in = inp[2:] if cf else inp[1:-1]
        sp_out = out_shape[2:] if cf else out_shape[1:-1]
        ch = out_shape[1] if cf else out_shape[-1]
        k = cfg.get("kernel_size") or cfg.get("pool_size")
        s = cfg.get("strides") or cfg.get("pool_size")
        pad = cfg.get("padding")
        d = cfg.get("dilation_rate") or (1,) * len(sp_in)

        def build(sp: tuple) -> str:
            return format_shape((None, ch, *sp) if cf else (None, *sp, ch))

        same = tuple((n - 1) // si + 1 for n, si in zip(sp_in, s, strict=True))
        valid = tuple(
            (n - di * (ki - 1) - 1) // si + 1 for n, ki, si, di in zip(sp_in, k, s, d, strict=True)
        )
        out.append(("'same' vs 'valid' padding", build(valid if pad != "valid" else same)))
        out.append(
            (
                "ignored the strides",
                build(
                    tuple(
                        n - di * (ki - 1) if pad == "valid" else n
                        for n, ki, di in zip(sp_in, k, d, strict=True)
                    )
                ),
            )
        )
        rounded = tuple(
            -(-(n - di * (ki - 1)) // si) if pad == "valid" else n // si
            for n, ki, si, di in zip(sp_in, k, s, d, strict=True)
        )
        out.append(("stride rounding (rounded the wrong way)", build(rounded)))
        if "filters" in cfg:
            c_in = inp[1] if cf else inp[-1]
            out.append(
                (
                    "kept the input channels instead of filters",
                    build(sp_out)
                    if c_in == ch
                    else format_shape((None, c_in, *sp_out) if cf else (None, *sp_out, c_in)),
                )
            )
        if "pool_size" in cfg and cfg.get("strides") is None:
            out.append(
                (
                    "used stride 1 instead of pool_size",
                    build(
                        tuple(
                            n - ki + 1 if pad == "valid" else n
                            for n, ki in zip(sp_in, k, strict=True)
                        )
                    ),
                )
            )
        out.append(("forgot the batch axis", format_shape(out_shape[1:])))
    elif name in ("LSTM", "GRU", "SimpleRNN", "Bidirectional"):
        inner = cfg if name != "Bidirectional" else _inner_config(r)
        units = out_shape[-1]
        seq = inner["return_sequences"]
        out.append(
            (
                "return_sequences confusion",
                format_shape((None, units) if seq else (None, inp[1], units)),
            )
        )
        out.append(
            ("used the input features as the output size", format_shape((*out_shape[:-1], inp[-1])))
        )
        if name == "Bidirectional":
            half = units // 2 if cfg["merge_mode"] == "concat" else units * 2
            out.append(
                (
                    "forgot how merge_mode joins the two directions",
                    format_shape((*out_shape[:-1], half)),
                )
            )
        out.append(("forgot the batch axis", format_shape(out_shape[1:])))
    elif name == "Dense":
        out.append(("thought Dense flattens its input", format_shape((None, out_shape[-1]))))
        out.append(("kept the input size", format_shape((*out_shape[:-1], inp[-1]))))
        out.append(("forgot the batch axis", format_shape(out_shape[1:])))
    elif name == "Flatten":
        out.append(("forgot the batch axis", format_shape(out_shape[1:])))
        out.append(("flattened the batch axis too", "(None,)"))
        if len(inp) > 2:
            out.append(("kept only the last axis", format_shape((None, inp[-1]))))
            out.append(
                (
                    "added the sizes instead of multiplying",
                    format_shape((None, sum(d or 0 for d in inp[1:]))),
                )
            )
    else:
        out.append(("forgot the batch axis", format_shape(out_shape[1:])))
        out.append(
            (
                "dropped the last axis",
                format_shape(out_shape[:-1]) if len(out_shape) > 2 else "(None,)",
            )
        )
        out.append(("kept the input shape", format_shape(inp)))
        if name in (
            "GlobalAveragePooling1D",
            "GlobalAveragePooling2D",
            "GlobalMaxPooling1D",
            "GlobalMaxPooling2D",
        ):
            out.append(
                (
                    "keepdims confusion",
                    format_shape(inp[:1] + (1,) * (len(inp) - 2) + inp[-1:])
                    if not cfg["keepdims"]
                    else format_shape((None, inp[-1])),
                )
            )
        if name == "Embedding":
            out.append(
                ("used input_dim as the vector size", format_shape((*inp, cfg["input_dim"])))
            )
    return out


def _numel(shape: tuple) -> int:
    n = 1
    for d in shape[1:]:
        n *= d or 1
    return n


def _config_of(r: LayerResult) -> dict:
    from quizapp.calc.stack import parse_layer

    return parse_layer(r.layer).config


def _inner_config(r: LayerResult) -> dict:
    from quizapp.calc.stack import parse_layer

    inner = parse_layer(r.layer).inner
    assert inner is not None
    return inner.config


def make_question(layer: str, ask: str = "params", seed: int = 0, n_wrong: int = 3) -> Question:
    """A seeded multiple-choice question about ``layer``."""
    if layer not in GENERATORS:
        from quizapp.calc.expr import did_you_mean

        raise ExprError(f"unknown layer {layer!r}{did_you_mean(layer, GENERATORS)}")
    if ask not in ASKS:
        raise ExprError(f"ask must be one of {', '.join(ASKS)}, got {ask!r}")
    rng = random.Random(f"{layer}:{ask}:{seed}")
    for _ in range(50):
        cfg, result = valid_config(rng, layer)
        r = result.layers[0]
        if len(r.output_shapes) != 1:
            continue
        if ask == "params":
            right = str(r.params)
            wrong = [(label, str(v)) for label, v in _param_mistakes(r) if v >= 0]
        else:
            right = format_shape(r.output_shape)
            wrong = _shape_mistakes(r)
        options: list[Option] = []
        seen = {right}
        for label, text in wrong:
            if text not in seen:
                seen.add(text)
                options.append(Option(text, label))
        if len(options) < min(n_wrong, 2):
            continue
        options = options[:n_wrong]
        options.append(Option(right, None))
        rng.shuffle(options)
        shape = format_shape(result.input_shape)
        prompt = (
            f"How many parameters does {r.layer} have on input {shape}?"
            if ask == "params"
            else f"What is the output shape of {r.layer} on input {shape}?"
        )
        lines = [f"{r.layer}: {r.formula} → {r.output_text()}", *[f"  {s}" for s in r.steps]]
        return Question(layer, ask, cfg, prompt, right, "\n".join(lines), tuple(options), seed)
    raise RuntimeError(f"could not build a {ask} question for {layer}")
