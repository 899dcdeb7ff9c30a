"""Issue 8 §1: each entity page says at a glance where the entity stands: a project's
consortium (coordinator first) and the call and programme above it; an event's date,
place and organisers; an organisation's projects and events. Read over real HTTP on the
three backends, since the box is SPARQL over the store (property paths included)."""

from __future__ import annotations

import re
import urllib.request

import pytest


def glance(base: str, path: str) -> str:
    """The "at a glance" section of the page at ``path``, tags kept."""
    with urllib.request.urlopen(base + path) as response:
        html = response.read().decode()
    found = re.search(r'<section class="glance".*?</section>', html, re.S)
    assert found, path
    return found.group(0)


def order_of(html: str, *needles: str) -> list[int]:
    """Where each needle first appears (each must appear)."""
    return [html.index(n) for n in needles]


def test_a_project_shows_its_programme_call_and_consortium_coordinator_first(
    live_server: str,
) -> None:
    box = glance(live_server, "/page/project/caire?lang=en")
    chain = re.search(r'<ol class="chain".*?</ol>', box, re.S).group(0)  # type: ignore[union-attr]
    # from the top: the programme, then the call the project was selected in
    positions = order_of(
        chain, "/page/programme/france-2030?", "/page/call/competences-metiers-avenir?"
    )
    assert positions == sorted(positions)
    consortium = re.search(r'<ol class="related consortium">.*?</ol>', box, re.S).group(0)  # type: ignore[union-attr]
    members = re.findall(
        r'href="/page/organization/([^?"]+)\?lang=en">[^<]*</a> <span class="badge role">([^<]+)<',
        consortium,
    )
    assert members[0] == ("arts-et-metiers", "coordinator")
    assert sorted(members[1:]) == [
        ("cesi", "partner"),
        ("cnam", "partner"),
        ("paris-school-of-business", "partner"),
        ("universite-bourgogne-europe", "partner"),
    ]
    # the members the dataset names (a source may count more: PostGenAI@Paris)
    assert "Consortium <small>(5 recorded)</small>" in box


def test_a_programme_funding_a_project_directly_and_through_its_call_is_said_once(
    live_server: str,
) -> None:
    """PostGenAI@Paris is funded by France 2030 and selected in IA-Cluster, a call of
    France 2030: one chain, France 2030 › IA-Cluster."""
    box = glance(live_server, "/page/project/postgenai-paris?lang=fr")
    assert box.count('<ol class="chain"') == 1
    assert box.count("/page/programme/france-2030?") == 1
    assert "coordinateur" in box and "/page/organization/sorbonne-universite?" in box


def test_an_event_shows_its_date_place_and_organisers(live_server: str) -> None:
    box = glance(live_server, "/page/event/journee-etude-ia-societe?lang=en")
    # the most precise date its sources give (the AFAS page's times, not the press
    # release's day without a year), the day and zone said once for two times of one day
    assert (
        '<dd><time datetime="2025-10-02T09:00:00+02:00">2 October 2025, 09:00</time>'
        '–<time datetime="2025-10-02T19:30:00+02:00">19:30</time> (UTC+02:00)</dd>'
    ) in box
    assert "--10-02" not in box
    # the places: the Cnam (a site of the organisation, linked) and online
    assert '<a href="/page/organization/cnam?lang=en">Cnam</a></dd>' in box
    assert "<dd>Online</dd>" in box
    organisers = re.findall(
        r'href="/page/organization/([^?"]+)\?lang=en">[^<]*</a> <span class="badge role">([^<]+)<',
        box,
    )
    assert organisers[0] == ("cnam", "organiser")
    assert {o for o, role in organisers[1:] if role == "co-organiser"} == {
        "afas",
        "dicen-idf",
        "ht2s",
        "liberation",
    }


def test_an_organisation_shows_its_projects_and_events_with_its_role(live_server: str) -> None:
    box = glance(live_server, "/page/organization/cnam?lang=fr")
    assert re.search(
        r'/page/project/caire\?lang=fr">CAIRE</a> <span class="badge role">partenaire<', box
    )
    assert re.search(
        r'/page/project/postgenai-paris\?lang=fr">[^<]+</a> <span class="badge role">partenaire<',
        box,
    )
    assert re.search(
        r'/page/event/journee-etude-ia-societe\?lang=fr">[^<]+</a> <span class="badge role">organisateur<',
        box,
    )
    coordinator = glance(live_server, "/page/organization/sorbonne-universite?lang=en")
    assert re.search(
        r'/page/project/postgenai-paris\?lang=en">[^<]+</a> <span class="badge role">coordinator<',
        coordinator,
    )


@pytest.mark.parametrize(
    ("path", "needles"),
    [
        # a call: the programme above, the projects selected in it
        (
            "/page/call/ia-cluster?lang=en",
            ["/page/programme/france-2030?", "/page/project/postgenai-paris?"],
        ),
        # a programme: its part programme and calls, the projects it funds directly
        # (PostGenAI@Paris) and through its calls (CAIRE)
        (
            "/page/programme/france-2030?lang=en",
            [
                "/page/call/ia-cluster?",
                "/page/call/competences-metiers-avenir?",
                "/page/programme/strategie-nationale-ia?",
                "/page/project/postgenai-paris?",
                "/page/project/caire?",
            ],
        ),
        # a part programme: the programme above it
        ("/page/programme/strategie-nationale-ia?lang=en", ["/page/programme/france-2030?"]),
    ],
)
def test_calls_and_programmes_show_what_is_above_and_below(
    live_server: str, path: str, needles: list[str]
) -> None:
    box = glance(live_server, path)
    for needle in needles:
        assert needle in box, needle


def test_a_topic_page_has_no_empty_box(live_server: str) -> None:
    with urllib.request.urlopen(live_server + "/page/topic/ethique-ia?lang=en") as response:
        assert 'class="glance"' not in response.read().decode()


def test_a_page_without_properties_has_no_empty_properties_section(live_server: str) -> None:
    """Mistral AI has a label and a type, nothing else of its own: no empty heading."""
    with urllib.request.urlopen(live_server + "/page/organization/mistral-ai?lang=en") as r:
        html = r.read().decode()
    assert 'class="properties"' not in html and "<h1>Mistral AI</h1>" in html
