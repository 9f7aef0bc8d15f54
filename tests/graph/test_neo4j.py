"""write_neo4j: neo4j-admin import files that parse back with the documented headers."""

from __future__ import annotations

import csv

from nlp_relations.graph.neo4j import FILES, IMPORT_COMMAND, assertion_id, write_neo4j


def _read(folder, name):
    with open(folder / name, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]


def test_neo4j_files_parse_back_with_typed_headers(rich_graph, tmp_path):
    g = rich_graph
    write_neo4j(g, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES)
    assert IMPORT_COMMAND in (tmp_path / "import.txt").read_text(encoding="utf-8")

    header, actors = _read(tmp_path, "actors.csv")
    assert header[0] == "id:ID(Actor)" and "aliases:string[]" in header \
        and "mentions:int" in header and header[-1] == ":LABEL"
    ids = [a["id:ID(Actor)"] for a in actors]
    assert len(ids) == len(set(ids))
    assert set(g.nodes) <= set(ids)
    by_id = {a["id:ID(Actor)"]: a for a in actors}
    assert by_id["PRK"][":LABEL"] == "Actor;State" and by_id["NATO"][":LABEL"] == "Actor;IGO"
    assert int(by_id["PRK"]["mentions:int"]) == g.nodes["PRK"]["mentions"]

    header, documents = _read(tmp_path, "documents.csv")
    assert header == ["id:ID(Document)", "text_sha1", "date", "counted:boolean", ":LABEL"]
    counted = {d["id:ID(Document)"]: d["counted:boolean"] for d in documents}
    assert counted["doc6"] == "true" and counted["doc7"] == "false"  # doc7 repeats doc6's text

    header, relations = _read(tmp_path, "relations.csv")
    assert header[:3] == [":START_ID(Actor)", ":END_ID(Actor)", ":TYPE"]
    assert {"negated:boolean", "modality", "count:int", "confidence_mean:double"} <= set(header)
    assert len(relations) == g.number_of_edges()
    for r in relations:
        data = g.edges[r[":START_ID(Actor)"], r[":END_ID(Actor)"], r["key"]]
        assert r[":TYPE"] == data["predicate"].upper()
        assert int(r["count:int"]) == data["count"]
        assert float(r["confidence_mean:double"]) == data["confidence_mean"]
        assert r["negated:boolean"] == ("true" if data["negated"] else "false")
        assert r["modality"] == data["modality"]
    assert {(r[":TYPE"], r["negated:boolean"], r["modality"]) for r in relations} >= {
        ("CONDEMNS", "true", "asserted"), ("SANCTIONS", "false", "future")}

    header, assertions = _read(tmp_path, "assertions.csv")
    assert header[0] == "id:ID(Assertion)" and "confidence:double" in header
    n_edge_evidence = sum(len(d["evidence"]) for *_, d in g.edges(keys=True, data=True))
    n_event_evidence = sum(len(e["evidence"]) for _, d in g.nodes(data=True)
                           for e in d.get("events", []))
    assert n_event_evidence >= 1
    assert len(assertions) == n_edge_evidence + n_event_evidence
    aids = [a["id:ID(Assertion)"] for a in assertions]
    assert len(aids) == len(set(aids))
    odd = next(a for a in assertions if a["doc_id"] == "doc-ü")
    assert "\n" in odd["sentence"] and odd["subject_agent"] == "RUS-LAVROV"

    header, links = _read(tmp_path, "assertion_actors.csv")
    assert header == [":START_ID(Assertion)", ":END_ID(Actor)", ":TYPE"]
    assert {lk[":START_ID(Assertion)"] for lk in links} == set(aids)
    assert {lk[":END_ID(Actor)"] for lk in links} <= set(ids)  # KCNA, a source only, is there
    types = [lk[":TYPE"] for lk in links]
    assert types.count("SUBJECT") == len(aids)
    assert types.count("OBJECT") == n_edge_evidence
    assert {"SPEAKER", "SOURCE"} <= set(types)

    header, doc_links = _read(tmp_path, "assertion_documents.csv")
    assert header == [":START_ID(Assertion)", ":END_ID(Document)", ":TYPE"]
    assert len(doc_links) == len(aids)
    assert {lk[":END_ID(Document)"] for lk in doc_links} <= set(counted)


def test_neo4j_assertion_id_is_the_graphs_evidence_key():
    record = {"doc_id": "d1", "start_char": 12, "trigger": "slammed"}
    assert assertion_id("PRK|denounces|NATO|asserted|neg", record) == \
        "PRK|denounces|NATO|asserted|neg@d1:12:slammed"


def test_neo4j_lone_surrogate_becomes_a_replacement_character(tmp_path):
    from nlp_relations.graph import build_graph

    from .factory import make_triple

    t = make_triple("NATO", "condemns", "PRK", sentence="NATO condemned \ud800Pyongyang.",
                    object_text="\ud800Pyongyang")
    write_neo4j(build_graph([t]), tmp_path)
    for name in FILES:
        (tmp_path / name).read_bytes().decode("utf-8")  # valid UTF-8 everywhere
    _, assertions = _read(tmp_path, "assertions.csv")
    assert assertions[0]["sentence"] == "NATO condemned \ufffdPyongyang."
