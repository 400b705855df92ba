"""The real Keras check: build the layers, read what Keras says.

This is the only module that imports Keras/TensorFlow, and only inside functions, so importing it
costs nothing. Results are plain JSON-able dicts, cached by (expression, input shape, Keras
version) through an :class:`~quizapp.verify.cache.OracleCache`, so each check runs once per Keras
version.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import importlib.util
import os
import re
import threading
import warnings
from collections.abc import Callable, Iterator
from typing import Any

from quizapp.calc.expr import LayerCall, format_shape
from quizapp.calc.layers import SPECS
from quizapp.calc.stack import parse_layer
from quizapp.errors import QuizappError
from quizapp.verify.cache import MemoryOracleCache, OracleCache

CLEAR_EVERY = 100
RESULT_FORMAT = 1  # bump when the shape of a cached result changes; older rows are rebuilt
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class OracleUnavailable(QuizappError, RuntimeError):
    """Keras/TensorFlow cannot be imported; the message is one line."""


@functools.cache
def keras_version() -> str | None:
    """The installed Keras version, read from package metadata once (imports nothing).

    Asked for every computed card the review screen shows, so the metadata scan runs once.
    """
    try:
        return importlib.metadata.version("keras")
    except importlib.metadata.PackageNotFoundError:
        return None


def _one_line(err: BaseException) -> str:
    text = _ANSI.sub("", str(err))
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    lines = [ln for ln in lines if not ln.startswith("Exception encountered when calling")]
    msg = lines[0] if lines else ""
    msg = msg if len(msg) <= 300 else msg[:299] + "…"
    return f"{type(err).__name__}: {msg}" if msg else type(err).__name__


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        if "class_name" in value:  # a serialized initializer, regularizer, ...
            name = value["class_name"]
            return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
        return {k: _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


class NotCached(LookupError):
    """A cache-only oracle was asked for what Keras has not answered yet."""


class KerasOracle:
    """Builds real Keras layers on demand; thread-safe; counts how many stacks it built.

    With ``cache_only`` it never imports Keras: what the cache lacks raises :class:`NotCached`.
    """

    def __init__(
        self,
        cache: OracleCache | None = None,
        progress: Callable[[str], None] | None = None,
        *,
        cache_only: bool = False,
    ) -> None:
        self.cache: OracleCache = cache if cache is not None else MemoryOracleCache()
        self.progress = progress
        self.cache_only = cache_only
        self.builds = 0
        self._keras: Any = None
        self._lock = threading.Lock()
        self._since_clear = 0

    # -- availability -------------------------------------------------------------------------

    @property
    def version(self) -> str | None:
        return keras_version()

    def load(self, progress: Callable[[str], None] | None = None) -> Any:
        """Import Keras (and TensorFlow behind it); raises OracleUnavailable, one line."""
        if self._keras is not None:
            return self._keras
        progress = progress or self.progress
        if keras_version() is None or importlib.util.find_spec("keras") is None:
            raise OracleUnavailable("Keras is not installed")
        if progress:
            progress("Loading TensorFlow and Keras…")
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        try:
            with _quiet_stderr():  # TensorFlow's C++ start-up log lines
                import keras
        except Exception as err:  # a broken install raises all sorts of errors
            raise OracleUnavailable(
                f"Keras/TensorFlow cannot be imported ({_one_line(err)})"
            ) from None
        self._keras = keras
        if progress:
            progress(f"Keras {keras.__version__} loaded")
        return keras

    # -- building -----------------------------------------------------------------------------

    def _make(self, call: LayerCall) -> Any:
        keras = self._keras
        if call.name not in SPECS:  # parse_call only yields known names; stay defensive
            raise ValueError(f"unknown layer {call.name}")
        cls = getattr(keras.layers, call.name)
        args = [self._make(a) if isinstance(a, LayerCall) else a for a in call.args]
        kwargs = {k: self._make(v) if isinstance(v, LayerCall) else v for k, v in call.kwargs}
        return cls(*args, **kwargs)

    def _maybe_clear(self) -> None:
        self._since_clear += 1
        if self._since_clear >= CLEAR_EVERY:
            self._keras.backend.clear_session()
            self._since_clear = 0

    def build_stack(self, calls: list[LayerCall], input_shape: tuple[int | None, ...]) -> dict:
        """Build the stack with the functional API (uncached); what Keras reports, as a dict."""
        keras = self.load()
        with self._lock, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecation notes are not what Keras "says"
            self.builds += 1
            self._maybe_clear()
            layers_out: list[dict] = []
            try:
                dtype = "int32" if calls and calls[0].name == "Embedding" else "float32"
                x: Any = keras.Input(shape=tuple(input_shape), dtype=dtype)
                for call in calls:
                    if isinstance(x, list | tuple):
                        raise ValueError(
                            f"the previous layer returns {len(x)} tensors; {call.name} takes one"
                        )
                    layer = self._make(call)
                    y = layer(x, x) if call.name == "MultiHeadAttention" else layer(x)
                    outs = list(y) if isinstance(y, list | tuple) else [y]
                    layers_out.append(
                        {
                            "class": type(layer).__name__,
                            "params": int(layer.count_params()),
                            "trainable": int(sum(_size(w) for w in layer.trainable_weights)),
                            "non_trainable": int(
                                sum(_size(w) for w in layer.non_trainable_weights)
                            ),
                            "output_shapes": [list(o.shape) for o in outs],
                            "weights": [
                                [_weight_name(w.path), list(w.shape), bool(w.trainable)]
                                for w in layer.weights
                            ],
                        }
                    )
                    x = y
            except Exception as err:
                return {
                    "ok": False,
                    "error": _one_line(err),
                    "layers": layers_out,
                    "format": RESULT_FORMAT,
                }
            return {"ok": True, "layers": layers_out, "format": RESULT_FORMAT}

    def defaults(self, layer_name: str) -> dict:
        """The config of the layer's minimal example (uncached), e.g. LSTM(1)."""
        self.load()
        example = parse_layer(SPECS[layer_name].example).call
        with self._lock, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.builds += 1
            try:
                layer = self._make(example)
                config = layer.get_config()
            except Exception as err:
                return {"ok": False, "error": _one_line(err), "format": RESULT_FORMAT}
            config.pop("name", None)
            config.pop("dtype", None)
            out = {k: _jsonable(v) for k, v in config.items()}
            if layer_name == "Bidirectional":
                out["layer"] = type(layer.forward_layer).__name__
            return {"ok": True, "config": out, "example": str(example), "format": RESULT_FORMAT}

    # -- cached entry points ------------------------------------------------------------------

    def stack(self, calls: list[LayerCall], input_shape: tuple[int | None, ...]) -> dict:
        key = ("; ".join(str(c) for c in calls), format_shape(input_shape))
        return self._cached(key, lambda: self.build_stack(calls, input_shape))

    def default_config(self, layer_name: str) -> dict:
        return self._cached((f"defaults {layer_name}", ""), lambda: self.defaults(layer_name))

    def _cached(self, key: tuple[str, str], build: Callable[[], dict]) -> dict:
        version = self.version or "unknown"
        hit = self.cache.get(*key, version)
        if hit is not None and hit.get("format") == RESULT_FORMAT:
            return hit
        if self.cache_only:
            raise NotCached(key[0])
        result = build()
        self.cache.put(*key, version, result)
        return result


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null for the duration (C++ logging bypasses sys.stderr)."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _size(variable: Any) -> int:
    n = 1
    for d in variable.shape:
        n *= int(d)
    return n


def _weight_name(path: str) -> str:
    """``lstm/lstm_cell/kernel`` → ``kernel``; ``bidirectional/forward_lstm_1/lstm_cell/bias`` →
    ``forward_bias``; ``multi_head_attention/query/kernel`` → ``query/kernel``."""
    parts = path.split("/")[1:]
    prefix = ""
    if parts and parts[0].startswith(("forward_", "backward_")):
        prefix = parts[0].split("_", 1)[0] + "_"
        parts = parts[1:]
    parts = [p for p in parts if not p.endswith("_cell")]
    return prefix + "/".join(parts)
