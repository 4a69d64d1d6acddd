"""Arrow columns in and out of the identifier and vault entry points: every
kind of Arrow input gives the results of the list path, Arrow-backed and in
the caller's kind of container; malformed capsules are clean errors."""

import gc

import numpy as np
import pytest

import gdprkit
from gdprkit import _gdprkit
from gdprkit import identifiers as ids
from gdprkit.vault import Pseudonymizer, Vault

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")

PW = "correct horse battery staple"
DOMAIN = "research"
OTHER = "registry"
AS_OF = "2024-01-01"
# valid, missing, too short, valid with a hyphen, a replacement number, missing
VALUES = ["0102031234", None, "1234", "010203-1234", "2512481230", None]


@pytest.fixture(scope="module")
def vault(tmp_path_factory):
    v = Vault.create(str(tmp_path_factory.mktemp("arrow") / "vault.db"), passphrase=PW,
                     kdf="tests_only", actor="pytest")
    v.create_domain(DOMAIN)
    v.create_domain(OTHER)
    yield v
    v.close()


def as_list(result):
    """Any result as a list with None for missing rows."""
    if isinstance(result, (pa.Array, pa.ChunkedArray)):
        return result.to_pylist()
    if isinstance(result, pd.Series):
        return [None if pd.isna(v) else v for v in result.tolist()]
    if type(result).__module__.startswith("polars"):
        return result.to_list()
    return list(result)


def _polars():
    return pytest.importorskip("polars")


# Every kind of Arrow input the package takes, and what kind comes back.
INPUTS = {
    "array": lambda v: pa.array(v),
    "large_string": lambda v: pa.array(v, type=pa.large_string()),
    "string_view": lambda v: pa.array(v, type=pa.string_view()),
    "dictionary": lambda v: pa.array(v).dictionary_encode(),
    "chunked": lambda v: pa.chunked_array([v[:2], v[2:]]),
    "sliced": lambda v: pa.array(["x", "y"] + v + ["z"]).slice(2, len(v)),
    "table": lambda v: pa.table({"cpr": v}),
    "pandas_arrow": lambda v: pd.Series(v, dtype=pd.ArrowDtype(pa.string()),
                                        index=[f"r{i}" for i in range(len(v))], name="cpr"),
    "pandas_string": lambda v: pd.Series(v, dtype=pd.StringDtype("pyarrow"), name="cpr"),
    "pandas_str": lambda v: pd.Series(v, dtype=pd.StringDtype("pyarrow", na_value=np.nan),
                                      name="cpr"),
    "polars": lambda v: _polars().Series("cpr", v),
    "duckdb": lambda v: _duckdb_column(v),
}


def _duckdb_column(v):
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    con.register("people", pa.table({"cpr": pa.array(v, type=pa.string())}))
    return con.sql("select cpr from people")


def check_kind(name, source, result):
    """The result is Arrow-backed, of the input's kind."""
    if name == "chunked":
        assert isinstance(result, pa.ChunkedArray)
    elif name.startswith("pandas"):
        assert isinstance(result, pd.Series)
        assert list(result.index) == list(source.index) and result.name == source.name
        if name == "pandas_arrow":
            assert isinstance(result.dtype, pd.ArrowDtype)
        elif result.dtype != bool:
            assert isinstance(result.dtype, pd.StringDtype)
            assert result.dtype.storage == "pyarrow"
            assert result.dtype.na_value is source.dtype.na_value
    elif name == "polars":
        assert type(result).__name__ == "Series" and result.name == "cpr"
    else:
        assert isinstance(result, pa.Array)


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_identifiers_take_every_arrow_kind(name):
    source = INPUTS[name](VALUES)
    for f, kwargs in ((ids.check, {}), (ids.is_valid, {}),
                      (ids.normalise, {"errors": "coerce"})):
        got = f(source, as_of=AS_OF, **kwargs)
        check_kind(name, source, got)
        assert as_list(got) == as_list(f(VALUES, as_of=AS_OF, **kwargs)), f.__name__
    got, rejected = ids.normalise(source, errors="report", as_of=AS_OF)
    expected, expected_rejected = ids.normalise(VALUES, errors="report", as_of=AS_OF)
    assert as_list(got) == expected
    assert list(rejected) == list(expected_rejected) == [(1, "empty"), (2, "bad_length"),
                                                        (5, "empty")]
    if name == "pandas_arrow":
        assert rejected.labels == ("r1", "r2", "r5")
    with pytest.raises(gdprkit.InvalidArgumentError, match="row 1") as e:
        ids.normalise(source)
    assert "0102031234" not in str(e.value)


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_vault_entry_points_take_every_arrow_kind(vault, name):
    source = INPUTS[name](VALUES)
    key = vault.export_pseudonym_key(DOMAIN, reason="arrow tests")
    pseudonymizer = Pseudonymizer.from_exported_key(key)
    calls = {
        "pseudonymise": lambda v, **k: vault.pseudonymise(v, domain=DOMAIN, **k),
        "tokenise": lambda v, **k: vault.tokenise(v, domain=DOMAIN, **k),
        "lookup_tokens": lambda v, **k: vault.lookup_tokens(v, domain=DOMAIN, **k),
        "Pseudonymizer": lambda v, **k: pseudonymizer.pseudonymise(v, kind="cpr", **k),
    }
    for what, call in calls.items():
        got = call(source, errors="coerce")
        check_kind(name, source, got)
        assert as_list(got) == call(VALUES, errors="coerce"), what
        got, rejected = call(source, errors="report")
        assert list(rejected) == list(call(VALUES, errors="report")[1]), what
        with pytest.raises(gdprkit.InvalidArgumentError, match="row 1"):
            call(source)
    tokens = vault.tokenise(VALUES, domain=DOMAIN, errors="coerce") + ["tk_not_a_token"]
    token_source = INPUTS[name](tokens)
    for what, call in {
        "reidentify": lambda v, **k: vault.reidentify(v, domain=DOMAIN, reason="test", **k),
        "translate": lambda v, **k: vault.translate(v, from_domain=DOMAIN, to_domain=OTHER,
                                                    reason="test", **k),
    }.items():
        got = call(token_source, errors="coerce")
        check_kind(name, token_source, got)
        assert as_list(got) == call(tokens, errors="coerce"), what
        _, rejected = call(token_source, errors="report")
        assert list(rejected) == list(call(tokens, errors="report")[1]), what


def test_pseudonyms_equal_the_list_path_on_many_rows(vault):
    rng = np.random.default_rng(15)
    days = rng.integers(1, 29, 5000)
    values = [f"{d:02d}0190{n:04d}" for d, n in zip(days, rng.integers(0, 10000, 5000))]
    arr = pa.array(values)
    got = vault.pseudonymise(arr, domain=DOMAIN)
    assert got.null_count == 0 and got.type == pa.string()
    assert got.to_pylist() == vault.pseudonymise(values, domain=DOMAIN)


def test_object_series_keeps_its_path(vault):
    s = pd.Series(["0102031234", None], dtype=object)
    out = ids.normalise(s, errors="coerce")
    assert out.dtype == object and out.tolist() == ["0102031234", None]
    assert vault.pseudonymise(s, domain=DOMAIN, errors="coerce").dtype == object


def test_results_take_no_copy_of_the_input_and_outlive_it(vault):
    arr = pa.array(["0102031234"] * 3)
    out = vault.pseudonymise(arr, domain=DOMAIN)
    del arr
    gc.collect()
    assert out.to_pylist()[0].startswith("ps1_")


def test_non_utf8_bytes_are_rejected_rows_as_in_the_list_path():
    bad = b"01020\xff1234"
    data = b"0102031234" + bad
    offsets = np.array([0, 10, 20], dtype=np.int32)
    arr = pa.Array.from_buffers(pa.string(), 2, [None, pa.py_buffer(offsets.tobytes()),
                                                 pa.py_buffer(data)])
    assert ids.check(arr).to_pylist() == ids.check(["0102031234", bad]) == ["ok", "bad_character"]
    binary = pa.array([b"0102031234", bad], type=pa.binary())
    assert ids.check(binary).to_pylist() == ["ok", "bad_character"]
    out, rejected = ids.normalise(arr, errors="report")
    assert out.to_pylist() == ["0102031234", None] and list(rejected) == [(1, "bad_character")]


def test_a_number_column_is_refused_as_not_text():
    with pytest.raises(gdprkit.InvalidArgumentError, match="of type int64, not text"):
        ids.check(pa.array([102031234], type=pa.int64()))


def test_a_table_of_two_columns_is_refused():
    with pytest.raises(gdprkit.InvalidArgumentError, match="2 columns"):
        ids.check(pa.table({"a": ["0102031234"], "b": ["x"]}))


class FakeArrow:
    """An object that claims the Arrow interface and gives wrong capsules."""

    def __init__(self, result):
        self.result = result

    def __arrow_c_array__(self, requested_schema=None):
        return self.result


def test_malformed_capsules_are_clean_errors():
    schema, array = pa.array(["0102031234"]).__arrow_c_array__()
    for result in (None, (1, 2), (array, schema), (schema,), "0102031234"):
        with pytest.raises(gdprkit.InvalidArgumentError) as e:
            ids.check(FakeArrow(result))
        assert "0102031234" not in str(e.value)
        assert "__arrow_c_array__" in str(e.value)
    # The good capsules, never consumed, are released by their destructors.
    del schema, array
    gc.collect()


def test_a_consumed_capsule_is_refused():
    schema, array = pa.array(["0102031234"]).__arrow_c_array__()
    assert ids.check(FakeArrow((schema, array))).to_pylist() == ["ok"]
    with pytest.raises(gdprkit.InvalidArgumentError, match="already released"):
        ids.check(FakeArrow((schema, array)))


def test_arrow_column_exports_fresh_capsules_and_shows_no_value():
    col = _gdprkit.arrow_text(pa.array(["0102031234", None, "xy" * 10],
                                        type=pa.string_view()))
    assert len(col) == 3 and col.type == "string"
    assert repr(col) == "ArrowColumn(length=3, type=string)"
    first = pa.array(col)
    second = pa.array(col)
    del col
    gc.collect()
    assert first.to_pylist() == second.to_pylist() == ["0102031234", None, "xy" * 10]
    unconsumed = _gdprkit.arrow_text(pa.array(["a"])).__arrow_c_array__()
    del unconsumed
    gc.collect()


def test_every_text_format_reads_alike():
    values = ["0102031234", None, "a" * 20, ""]
    expected = values
    for t in (pa.string(), pa.large_string(), pa.string_view(), pa.binary(),
              pa.large_binary(), pa.binary_view()):
        raw = [v.encode() if v is not None and "binary" in str(t) else v for v in values]
        assert pa.array(_gdprkit.arrow_text(pa.array(raw, type=t))).to_pylist() == expected, t
    for index in (pa.int8(), pa.uint16(), pa.int32(), pa.uint64()):
        d = pa.DictionaryArray.from_arrays(pa.array([2, None, 0, 1], type=index),
                                           pa.array(["a" * 20, "", "0102031234"]))
        assert pa.array(_gdprkit.arrow_text(d)).to_pylist() == expected, index


def test_a_pandas_categorical_of_arrow_dictionary():
    s = pd.Series(pd.array(pa.array(VALUES).dictionary_encode(),
                           dtype=pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string()))))
    assert as_list(ids.check(s, as_of=AS_OF)) == ids.check(VALUES, as_of=AS_OF)


def test_empty_columns_and_progress(vault):
    empty = pa.array([], type=pa.string())
    assert ids.normalise(empty).to_pylist() == []
    assert vault.pseudonymise(empty, domain=DOMAIN).to_pylist() == []
    assert vault.pseudonymise(pa.chunked_array([], type=pa.string()),
                              domain=DOMAIN).to_pylist() == []
    seen = []
    vault.pseudonymise(pa.array(["0102031234"] * 10), domain=DOMAIN,
                       progress=lambda stage, done, total: seen.append((done, total)))
    assert seen and seen[-1] == (10, 10)


def test_pandas_arrow_numbers_keep_the_path_of_numbers():
    s = pd.Series([12345, 23456], dtype=pd.ArrowDtype(pa.int64()))
    assert list(ids.check(s, "provider_number")) == ids.check(["12345", "23456"], "provider_number")
    with pytest.raises(gdprkit.ArgumentTypeError, match="integers"):
        ids.check(s)
