"""Hypothesis strategies for arbitrary JSON, biased towards the members DeskHero parsers look at."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

VOCABULARY = [
    "data",
    "Data",
    "result",
    "items",
    "value",
    "success",
    "Succeeded",
    "isSuccess",
    "message",
    "messages",
    "errors",
    "error",
    "code",
    "type",
    "title",
    "status",
    "detail",
    "instance",
    "description",
    "field",
    "id",
    "total",
    "",
    "[0].subject",
    "$[1].sys_tags[0].id",
    "tickets_input",
    "tickets_input[2].requester.email",
    "UnsupportedApiVersion",
]

keys = st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=12))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(VOCABULARY),
)
json_values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=6)
    ),
    max_leaves=40,
)
