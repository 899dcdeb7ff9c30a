"""A running server picks up a new build without restart and without a failed request
(issue 6 §1): workers reopen the new store, requests in flight finish on the old one."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import requests

from cnamkg.settings import REPO_ROOT
from conftest import cli_env, run_cli, serving

TOPIC = "https://w3id.org/cnamkg/id/topic/zz-reload-test"
NEW_TOPIC = f"""
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{TOPIC}> a skos:Concept ;
    rdfs:label "Sujet ajouté"@fr , "Added topic"@en ;
    skos:prefLabel "Sujet ajouté"@fr , "Added topic"@en ;
    skos:inScheme <https://w3id.org/cnamkg/id/topic/themes> ;
    dcterms:source <https://w3id.org/cnamkg/id/document/communique-journee-ia> .
"""


def test_a_new_build_is_served_without_restart_or_failure(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    store = tmp_path / "store"
    store.mkdir()
    env = cli_env(CNAMKG_STORE=f"oxigraph:{store}", CNAMKG_DATA_DIR=str(data))
    with serving(store, CNAMKG_DATA_DIR=str(data)) as url:
        assert requests.get(f"{url}/page/topic/zz-reload-test", timeout=10).status_code == 404
        statuses: list[int] = []
        stop = threading.Event()

        def load() -> None:  # requests all along the switch
            with requests.Session() as s:
                while not stop.is_set():
                    for path in ("/", "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", "/topic"):
                        statuses.append(s.get(url + path, timeout=30).status_code)

        thread = threading.Thread(target=load)
        thread.start()
        try:
            (data / "zz-reload.ttl").write_text(NEW_TOPIC, "utf-8")
            built = run_cli("build", env=env, cwd=REPO_ROOT)
            assert built.returncode == 0, built.stderr
            version = json.loads((store / "current" / "meta.json").read_text())["version"]
            seen = 0
            deadline = time.monotonic() + 30
            while seen < 6 and time.monotonic() < deadline:  # every worker, several times
                r = requests.get(f"{url}/page/topic/zz-reload-test", timeout=10)
                seen = seen + 1 if r.status_code == 200 else 0
                time.sleep(0.2)
            assert seen == 6, "the new build was not served"
            ask = requests.get(
                f"{url}/sparql",
                params={"query": f"ASK {{ <{TOPIC}> ?p ?o }}"},
                headers={"Accept": "application/sparql-results+json"},
                timeout=10,
            )
            assert ask.json()["boolean"] is True
            assert requests.get(f"{url}/readyz", timeout=10).json()["version"] == version
        finally:
            stop.set()
            thread.join()
    assert statuses and set(statuses) == {200}, sorted(set(statuses))
