"""gdprkit.spark.pseudonymise and tokenise (issue #15, points 1 and 2): the
vault's pseudonyms and tokens of a Spark DataFrame's column, row for row; the
exported key never in a plan, an event log or an error; rejected rows named by
position, never by value.

The CPR numbers are made up: valid by the rules, not real people."""

from __future__ import annotations

import base64
import pathlib
import time
import traceback
import urllib.parse
import uuid
from typing import Any, Callable, Dict, List, Optional, Sequence

import numpy as np
import pytest

import gdprkit
from gdprkit import Pseudonymizer, Vault

pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")

import gdprkit.spark  # noqa: E402
from gdprkit.spark import _pseudonyms  # noqa: E402

PW = "correct horse battery staple"
DOMAIN = "klynge-aarhus-2026"
BLAKE = "legacy-blake"
REASON = "Spark job for the cluster report (ticket 42)"
BAD = "320203-1234"  # day 32: rejected as no date


def _cprs(n: int, seed: int = 1) -> List[str]:
    """`n` valid CPR numbers (born 1900-1999, serials 0000-3999), some
    written with the hyphen, generated with NumPy."""
    rng = np.random.default_rng(seed)
    day = rng.integers(1, 29, n)
    month = rng.integers(1, 13, n)
    year = rng.integers(0, 100, n)
    serial = rng.integers(0, 4000, n)
    return [f"{d:02d}{m:02d}{y:02d}{'-' if s % 3 == 0 else ''}{s:04d}"
            for d, m, y, s in zip(day, month, year, serial)]


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("spark-vault") / "vault.db"
    v = Vault.create(str(path), passphrase=PW, kdf="tests_only", actor="pytest")
    v.create_domain(DOMAIN, "cluster report")
    v.create_domain(BLAKE, "made before 0.2", scheme="blake2b")
    yield v
    v.close()


@pytest.fixture(scope="module")
def key(vault: Vault) -> str:
    return vault.export_pseudonym_key(DOMAIN, reason=REASON)


def _secret_spellings(key_text: str) -> List[str]:
    """The key's secret part as exported (base32) and as its raw bytes would
    be written in hex or base64 (and the whole text)."""
    part = key_text.rsplit(":", 1)[1]
    raw = base64.b32decode(part.upper() + "=" * (-len(part) % 8))
    return [key_text, part, part.upper(), raw.hex(), base64.b64encode(raw).decode(),
            base64.urlsafe_b64encode(raw).decode().rstrip("=")]


def _frame(spark: Any, ids: Sequence[Optional[str]], partitions: int = 3) -> Any:
    """A DataFrame (n, cpr, note) with the ids in the order of n."""
    return _local(spark, ids).repartition(partitions, "n").sortWithinPartitions("n")


def _local(spark: Any, ids: Sequence[Optional[str]]) -> Any:
    """(n, cpr, note) from an Arrow table: a local relation, no Python
    worker involved."""
    import pyarrow as pa

    return spark.createDataFrame(pa.table({
        "n": pa.array(range(len(ids)), pa.int64()), "cpr": pa.array(ids, pa.string()),
        "note": pa.array([f"note {i}" for i in range(len(ids))], pa.string())}))


def _position(sdf: Any, n: int) -> str:
    """Where row n of `sdf` is: "partition P, row R", found by Spark."""
    from pyspark.sql import functions as F

    rows = sdf.select("n", F.spark_partition_id().alias("p")).collect()
    partition = next(r["p"] for r in rows if r["n"] == n)
    row = [r["n"] for r in rows if r["p"] == partition].index(n)
    return f"partition {partition}, row {row}"


_COLLECTED: Dict[int, Any] = {}


def _by_n(sdf: Any, column: str) -> List[Any]:
    """A column of `sdf` in the order of n (one collect per DataFrame)."""
    if id(sdf) not in _COLLECTED:
        _COLLECTED.clear()
        _COLLECTED[id(sdf)] = (sdf, sorted(sdf.collect(), key=lambda r: r["n"]))
    return [r[column] for r in _COLLECTED[id(sdf)][1]]


# ---- pseudonymise -------------------------------------------------------------


@pytest.mark.parametrize("domain", [DOMAIN, BLAKE])
def test_pseudonymise_row_for_row_as_the_vault_in_place(spark: Any, vault: Vault,
                                                        domain: str) -> None:
    ids = _cprs(3000)
    sdf = _frame(spark, ids)
    key_text = vault.export_pseudonym_key(domain, reason=REASON)
    out = gdprkit.spark.pseudonymise(sdf, "cpr", key=key_text)
    assert out.columns == ["n", "cpr", "note"]
    assert out.schema["cpr"].dataType.simpleString() == "string"
    assert out.rdd.getNumPartitions() == 3
    got = out.orderBy("n").collect()
    assert [r["cpr"] for r in got] == vault.pseudonymise(ids, domain=domain)
    assert [r["note"] for r in got] == [f"note {i}" for i in range(len(ids))]


def test_pseudonymise_keeps_the_rows_order_within_partitions(spark: Any, vault: Vault,
                                                             key: str) -> None:
    ids = _cprs(500, seed=2)
    sdf = _local(spark, ids).coalesce(1)
    got = [r["cpr"] for r in gdprkit.spark.pseudonymise(sdf, "cpr", key=key).collect()]
    assert got == vault.pseudonymise(ids, domain=DOMAIN)


def test_pseudonymise_with_output_appends_and_keeps_the_column(spark: Any, vault: Vault,
                                                               key: str) -> None:
    ids = _cprs(200, seed=3)
    out = gdprkit.spark.pseudonymise(_frame(spark, ids), "cpr", key=key.encode(), output="ps")
    assert out.columns == ["n", "cpr", "note", "ps"]
    assert _by_n(out, "cpr") == ids
    assert _by_n(out, "ps") == vault.pseudonymise(ids, domain=DOMAIN)


def test_pseudonymise_null_in_null_out_without_a_problem(spark: Any, vault: Vault,
                                                         key: str) -> None:
    ids: List[Optional[str]] = [*_cprs(10, seed=4), None, "", None]
    for errors in ("raise", "coerce", "report"):
        given = ids[:11] if errors == "raise" else ids  # "" is rejected, null is not
        out = gdprkit.spark.pseudonymise(_frame(spark, given, 2), "cpr", key=key,
                                         errors=errors, output="ps")
        ps = _by_n(out, "ps")
        assert ps[:10] == vault.pseudonymise(ids[:10], domain=DOMAIN)
        assert ps[10:] == [None] * (len(given) - 10)
        if errors == "report":
            problems = _by_n(out, "ps_problem")
            assert problems[:10] == [None] * 10
            assert problems[10] is None and problems[12] is None  # null is no problem
            assert problems[11] == "empty"  # an empty text is


def test_pseudonymise_raise_names_the_row_and_reason_never_the_value(spark: Any,
                                                                     key: str) -> None:
    ids = _cprs(40, seed=5)
    ids[17] = BAD
    sdf = _local(spark, ids).coalesce(1)
    out = gdprkit.spark.pseudonymise(sdf, "cpr", key=key)  # lazy: nothing runs yet
    with pytest.raises(Exception) as caught:
        out.collect()
    text = "".join(traceback.format_exception(caught.value))
    assert "partition 0, row 17 is rejected" in text
    assert gdprkit.identifiers.check([BAD])[0] in text  # the reason's code
    assert BAD not in text and BAD.replace("-", "") not in text
    for spelling in _secret_spellings(key):
        assert spelling not in text


def test_pseudonymise_names_the_partition_and_the_row_in_it(spark: Any, key: str) -> None:
    ids = _cprs(30, seed=6)
    ids[25] = BAD
    two = _frame(spark, ids, 2)
    where = _position(two, 25)
    with pytest.raises(Exception) as caught:
        gdprkit.spark.pseudonymise(two, "cpr", key=key).collect()
    assert f"{where} is rejected" in str(caught.value)


def test_pseudonymise_coerce_gives_null_and_report_a_problem_column(spark: Any, vault: Vault,
                                                                    key: str) -> None:
    ids = _cprs(20, seed=7)
    ids[3] = BAD
    ids[9] = "0102031234567"
    sdf = _frame(spark, ids, 2)
    coerced = gdprkit.spark.pseudonymise(sdf, "cpr", key=key, errors="coerce")
    assert coerced.columns == ["n", "cpr", "note"]
    want = vault.pseudonymise(ids, domain=DOMAIN, errors="coerce")
    assert _by_n(coerced, "cpr") == want
    assert want[3] is None and want[9] is None

    reported = gdprkit.spark.pseudonymise(sdf, "cpr", key=key, errors="report")
    assert reported.columns == ["n", "cpr", "note", "cpr_problem"]
    assert _by_n(reported, "cpr") == want
    problems = _by_n(reported, "cpr_problem")
    codes = gdprkit.identifiers.check(ids)
    assert problems == [None if c == "ok" else c for c in codes]
    assert problems[3] is not None and problems[9] is not None
    # errors="null" (the issue's spelling) is the core's alias of "report".
    nulled = gdprkit.spark.pseudonymise(sdf, "cpr", key=key, errors="null")
    assert nulled.columns == reported.columns
    assert _by_n(nulled, "cpr_problem") == problems

    named = gdprkit.spark.pseudonymise(sdf, "cpr", key=key, errors="report", output="ps",
                                       problem_column="why")
    assert named.columns == ["n", "cpr", "note", "ps", "why"]
    assert _by_n(named, "why") == problems
    skipped = gdprkit.spark.pseudonymise(sdf, "cpr", key=key, errors="skip", output="ps")
    assert skipped.columns == ["n", "cpr", "note", "ps"]


def test_pseudonymise_identifier_options_reach_the_executors(spark: Any, vault: Vault,
                                                             key: str) -> None:
    ids = _cprs(50, seed=8)
    sdf = _frame(spark, ids, 2)
    out = gdprkit.spark.pseudonymise(sdf, "cpr", key=key, errors="report",
                                     require_modulus11=True)
    want = vault.pseudonymise(ids, domain=DOMAIN, errors="coerce", require_modulus11=True)
    assert _by_n(out, "cpr") == want
    assert any(p == "bad_check_digit" for p in _by_n(out, "cpr_problem"))
    future = gdprkit.spark.pseudonymise(_frame(spark, ["010199-4000"], 1), "cpr", key=key,
                                        errors="report", as_of="1990-01-01")
    assert _by_n(future, "cpr_problem") == ["future_birth_date"]


def test_pseudonymise_arguments(spark: Any, vault: Vault, key: str) -> None:
    sdf = _frame(spark, _cprs(3))
    with pytest.raises(gdprkit.NotFoundError, match="did you mean"):
        gdprkit.spark.pseudonymise(sdf, "cprr", key=key)
    with pytest.raises(gdprkit.ArgumentTypeError, match="of type bigint, not string"):
        gdprkit.spark.pseudonymise(sdf, "n", key=key)
    with pytest.raises(gdprkit.InvalidArgumentError, match="already has a column"):
        gdprkit.spark.pseudonymise(sdf, "cpr", key=key, output="note")
    with pytest.raises(gdprkit.InvalidArgumentError, match="already has a column"):
        gdprkit.spark.pseudonymise(sdf, "cpr", key=key, errors="report", problem_column="n")
    with pytest.raises(gdprkit.InvalidArgumentError, match='errors="report"'):
        gdprkit.spark.pseudonymise(sdf, "cpr", key=key, problem_column="why")
    with pytest.raises(gdprkit.InvalidArgumentError, match="errors"):
        gdprkit.spark.pseudonymise(sdf, "cpr", key=key, errors="ignore")
    with pytest.raises(gdprkit.InvalidArgumentError, match="kind"):
        gdprkit.spark.pseudonymise(sdf, "cpr", key=key, kind="passport")
    with pytest.raises(gdprkit.ArgumentTypeError, match="DataFrame"):
        gdprkit.spark.pseudonymise(sdf.toPandas(), "cpr", key=key)
    with pytest.raises(gdprkit.ArgumentTypeError, match="key"):
        gdprkit.spark.pseudonymise(sdf, "cpr", key=None)  # type: ignore[arg-type]
    with pytest.raises(gdprkit.ArgumentTypeError, match="require_modulus"):
        gdprkit.spark.pseudonymise(sdf, "cpr", key=key, require_modulus=True)  # type: ignore[call-arg]
    assert gdprkit.spark.pseudonymize is gdprkit.spark.pseudonymise
    assert gdprkit.spark.tokenize is gdprkit.spark.tokenise


def test_a_bad_key_is_refused_on_the_driver_without_the_key(spark: Any, key: str) -> None:
    sdf = _frame(spark, _cprs(3))
    part = key.rsplit(":", 1)[1]
    broken = key[: -len(part)] + part[:-3]  # a secret part too short
    with pytest.raises(gdprkit.InvalidArgumentError) as caught:
        gdprkit.spark.pseudonymise(sdf, "cpr", key=broken)
    text = "".join(traceback.format_exception(caught.value))
    for spelling in _secret_spellings(key):
        assert spelling not in text
    assert part[:-3] not in text


# ---- The key's journey --------------------------------------------------------


def _shipped_function(monkeypatch: pytest.MonkeyPatch, DataFrame: type) -> List[Callable[..., Any]]:
    """Records the functions handed to mapInArrow."""
    seen: List[Callable[..., Any]] = []
    original = DataFrame.mapInArrow

    def recording(self: Any, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        seen.append(func)
        return original(self, func, *args, **kwargs)

    monkeypatch.setattr(DataFrame, "mapInArrow", recording)
    return seen


def test_the_key_is_a_broadcast_not_a_constant_of_the_pickled_function(
        spark: Any, key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from pyspark import Broadcast
    from pyspark.serializers import CloudPickleSerializer

    sdf = _frame(spark, _cprs(3))
    seen = _shipped_function(monkeypatch, type(sdf))
    gdprkit.spark.pseudonymise(sdf, "cpr", key=key)
    (func,) = seen
    assert isinstance(func.key, Broadcast)  # type: ignore[attr-defined]
    pickled = CloudPickleSerializer().dumps(func)
    for spelling in _secret_spellings(key):
        assert spelling.encode() not in pickled
    # The check is real: the same function with the key as a constant shows it.
    planted = _pseudonyms._PseudonymiseBatches(key.encode(), 1, (False, True, True, False,  # type: ignore[arg-type]
                                               (2026, 1, 1)), "raise", "cpr", 0, True, False)
    assert _secret_spellings(key)[1].encode() in CloudPickleSerializer().dumps(planted)


def _read_event_file(spark: Any, path: pathlib.Path) -> str:
    """An event log file's text; Spark 4 compresses them (zstd by default),
    so a file named after a codec is read through Spark's own codec."""
    codec = path.suffix.lstrip(".")
    if codec not in ("zstd", "lz4", "lzf", "snappy"):
        return path.read_text(errors="replace")
    jvm = spark.sparkContext._jvm
    stream = jvm.org.apache.spark.io.CompressionCodec.createCodec(
        spark.sparkContext._jsc.sc().conf(), codec).compressedInputStream(
            jvm.java.io.FileInputStream(str(path)))
    try:
        return str(jvm.org.apache.commons.io.IOUtils.toString(stream, "UTF-8"))
    finally:
        stream.close()


def _event_log_text(spark: Any, marker: str) -> str:
    """Everything in the event log folder once `marker` (a literal of a plan
    that ran) has reached it: Spark writes the log asynchronously."""
    folder = pathlib.Path(urllib.parse.urlparse(spark.conf.get("spark.eventLog.dir")).path)
    text = ""
    for _ in range(300):
        text = "".join(_read_event_file(spark, p) for p in folder.rglob("*") if p.is_file())
        if marker in text:
            return text
        time.sleep(0.1)
    raise AssertionError("the planted literal never reached the event log: the check is void")


def test_the_key_is_in_no_plan_and_no_event_log(spark: Any, key: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from pyspark.sql import functions as F

    marker = f"planted-{uuid.uuid4().hex}"
    ids = _cprs(100, seed=9)
    ids[5] = BAD
    out = gdprkit.spark.pseudonymise(_frame(spark, ids, 2), "cpr", key=key, errors="report",
                                     output="ps").withColumn("marker", F.lit(marker))
    for mode in ("simple", "extended", "codegen", "cost", "formatted"):
        out.explain(mode)
    plans = capsys.readouterr().out + out._jdf.queryExecution().toString()
    assert marker in plans  # the plan text is what we think it is
    out.collect()
    try:
        gdprkit.spark.pseudonymise(_frame(spark, ids, 2), "cpr", key=key).collect()
    except Exception as e:  # noqa: BLE001 (the failure is the point)
        failure = "".join(traceback.format_exception(e))
    else:
        raise AssertionError("the bad row did not fail the job")
    assert "is rejected" in failure
    log = _event_log_text(spark, marker)
    assert "is rejected" in log  # the failed task's message was logged too
    for spelling in _secret_spellings(key):
        assert spelling not in plans
        assert spelling not in log
        assert spelling not in failure
    assert BAD not in log and BAD not in failure


# ---- tokenise -----------------------------------------------------------------


def _tokens(vault: Vault) -> Dict[str, int]:
    return {d.name: d.tokens for d in vault.domains()}


@pytest.mark.parametrize("broadcast", [True, False])
def test_tokenise_row_for_row_as_the_vault(spark: Any, vault: Vault, broadcast: bool,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    if not broadcast:
        monkeypatch.setattr(_pseudonyms, "BROADCAST_ROWS", 0)
    ids: List[Optional[str]] = list(_cprs(1500, seed=10 + broadcast))
    ids[:300] = ids[300:600]  # repeated identifiers, some in the other spelling
    ids[7] = ids[8].replace("-", "") if "-" in (ids[8] or "") else ids[7]
    ids[40] = None
    sdf = _frame(spark, ids)
    out = gdprkit.spark.tokenise(sdf, "cpr", vault=vault, domain=DOMAIN)
    assert out.columns == ["n", "cpr", "note"]
    got = out.collect()  # the rows in their order, without an orderBy
    assert [r["n"] for r in got] == [r["n"] for r in sdf.collect()]
    tokens = [r["cpr"] for r in sorted(got, key=lambda r: r["n"])]
    want = vault.tokenise([v for v in ids if v is not None], domain=DOMAIN)
    assert [t for t in tokens if t is not None] == want
    assert tokens[40] is None
    assert all(t.startswith("tk_") for t in want)


def test_tokenise_output_report_and_coerce(spark: Any, vault: Vault) -> None:
    ids: List[Optional[str]] = list(_cprs(30, seed=12))
    ids[4] = BAD
    ids[6] = None
    sdf = _frame(spark, ids, 2)
    out = gdprkit.spark.tokenise(sdf, "cpr", vault=vault, domain=DOMAIN, errors="report",
                                 output="token")
    assert out.columns == ["n", "cpr", "note", "token", "token_problem"]
    assert _by_n(out, "cpr") == ids
    tokens = _by_n(out, "token")
    assert tokens[4] is None and tokens[6] is None
    assert _by_n(out, "token_problem") == [
        None if v is None or c == "ok" else c for v, c in zip(ids, gdprkit.identifiers.check(
            [v or "" for v in ids]))]
    assert tokens == vault.tokenise(ids, domain=DOMAIN, errors="coerce")
    coerced = gdprkit.spark.tokenise(sdf, "cpr", vault=vault, domain=DOMAIN, errors="coerce")
    assert coerced.columns == ["n", "cpr", "note"]
    assert _by_n(coerced, "cpr") == tokens


def test_tokenise_raise_names_the_row_and_issues_no_token(spark: Any, vault: Vault) -> None:
    ids = _cprs(40, seed=13)
    ids[22] = BAD
    sdf = _frame(spark, ids, 2)
    where = _position(sdf, 22)
    before = _tokens(vault)
    with pytest.raises(gdprkit.InvalidArgumentError) as caught:
        gdprkit.spark.tokenise(sdf, "cpr", vault=vault, domain=DOMAIN)
    assert f"{where} is rejected" in str(caught.value)
    assert BAD not in str(caught.value)
    assert _tokens(vault) == before  # nothing issued


def test_tokenise_arguments(spark: Any, vault: Vault) -> None:
    sdf = _frame(spark, _cprs(3))
    with pytest.raises(gdprkit.ArgumentTypeError, match="Vault"):
        gdprkit.spark.tokenise(sdf, "cpr", vault="vault.db", domain=DOMAIN)  # type: ignore[arg-type]
    with pytest.raises(gdprkit.NotFoundError):
        gdprkit.spark.tokenise(sdf, "cpr", vault=vault, domain="no-such-domain")
    with pytest.raises(gdprkit.InvalidArgumentError, match="already has a column"):
        gdprkit.spark.tokenise(sdf, "cpr", vault=vault, domain=DOMAIN, output="n")


def test_each_python_worker_builds_one_pseudonymizer_per_broadcast(
        key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the executors' function does with the broadcast: the key is
    read and parsed once per worker and call, not per batch or task."""
    built: List[bytes] = []
    original = Pseudonymizer.from_exported_key

    def counting(text: Any) -> Pseudonymizer:
        built.append(bytes(text))
        return original(text)

    class Shipped:
        value = key.encode()

    monkeypatch.setattr(Pseudonymizer, "from_exported_key", staticmethod(counting))
    monkeypatch.setattr(_pseudonyms, "_PSEUDONYMIZERS", {})
    first = _pseudonyms._pseudonymizer(Shipped(), "call-1")  # type: ignore[arg-type]
    assert _pseudonyms._pseudonymizer(Shipped(), "call-1") is first  # type: ignore[arg-type]
    assert len(built) == 1
    assert _pseudonyms._pseudonymizer(Shipped(), "call-2") is not first  # type: ignore[arg-type]
    assert len(built) == 2
    # A long-lived worker keeps only the latest few keys, not every one.
    for n in range(3, 12):
        _pseudonyms._pseudonymizer(Shipped(), f"call-{n}")  # type: ignore[arg-type]
    assert list(_pseudonyms._PSEUDONYMIZERS) == [f"call-{n}" for n in range(8, 12)]


def test_column_names_with_dots_and_spaces(spark: Any, vault: Vault, key: str) -> None:
    ids = _cprs(20, seed=14)
    sdf = _frame(spark, ids, 2).withColumnRenamed("cpr", "patient.cpr id")
    ps = gdprkit.spark.pseudonymise(sdf, "patient.cpr id", key=key)
    tk = gdprkit.spark.tokenise(sdf, "patient.cpr id", vault=vault, domain=DOMAIN,
                                output="a.token")
    assert ps.columns == ["n", "patient.cpr id", "note"]
    assert tk.columns == ["n", "patient.cpr id", "note", "a.token"]
    assert _by_n(ps, "patient.cpr id") == vault.pseudonymise(ids, domain=DOMAIN)
    assert _by_n(tk, "a.token") == vault.tokenise(ids, domain=DOMAIN)
