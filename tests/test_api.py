"""The named /ask endpoint of the running app, called the way scripts call it: with gradio_client."""

from __future__ import annotations

import pytest
from gradio_client import Client

from kennisbank.knowledgebase import KnowledgeBase

pytestmark = pytest.mark.integration  # real model, server, browser or real timings


@pytest.fixture(scope="module")
def client(app_url: str) -> Client:
    return Client(app_url, verbose=False)


def test_ask_returns_the_answer_dict(client: Client, kb: KnowledgeBase) -> None:
    result = client.predict("Wat is MDA++?", api_name="/ask")
    assert result["refused"] is False
    assert "[1]" in result["answer"]
    assert result["citations"], result
    first = result["citations"][0]
    assert first["n"] == 1
    assert set(first) == {"n", "doc", "title", "section", "page", "text", "quoted"}
    assert all(q in first["text"] for q in first["quoted"])
    assert "MDA++" in first["text"]
    assert result == kb.ask("Wat is MDA++?").to_dict()  # the same dict as Answer.to_dict()


def test_ask_refuses_outside_the_documents(client: Client) -> None:
    result = client.predict("Geef me een recept voor erwtensoep", api_name="/ask")
    assert result["refused"] is True
    assert result["citations"] == []
    assert result["closest"]  # what came closest, for the user to judge


def test_only_ask_is_offered_as_api(client: Client) -> None:
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert list(endpoints) == ["/ask"]
