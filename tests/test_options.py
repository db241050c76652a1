from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.errors import NewsgraphError
from newsgraph.options import Options


def test_a_user_file_overrides_only_what_it_names(tmp_path: Path) -> None:
    f = tmp_path / "ng.toml"
    f.write_text("[newsgraph]\nmax_input_bytes = 1000\nfetch_timeout = 3\n")
    opts = Options.from_file(f)
    assert opts.max_input_bytes == 1000
    assert opts.fetch_timeout == 3
    assert opts.batch_size == Options().batch_size


@pytest.mark.parametrize(
    "body", ["nonsense = 1\n", "max_input_bytes = 'big'\n", "this is not toml ["]
)
def test_bad_option_files_give_e016(tmp_path: Path, body: str) -> None:
    f = tmp_path / "ng.toml"
    f.write_text(body)
    with pytest.raises(NewsgraphError) as info:
        Options.from_file(f)
    assert info.value.code == "E016"


def test_options_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Options().batch_size = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    "body", ["batch_size = true\n", "fetch_timeout = -1\n", "max_redirects = 0\n"]
)
def test_nonsense_values_give_e016(tmp_path: Path, body: str) -> None:
    f = tmp_path / "ng.toml"
    f.write_text(body)
    with pytest.raises(NewsgraphError) as info:
        Options.from_file(f)
    assert info.value.code == "E016"
