"""camt.053 statements read by content, entries numbered from 1, hardened XML."""

from __future__ import annotations

from pathlib import Path

from robots.reconcile.rules import Rules
from robots.reconcile.service import reconcile, result_json
from tests.reconcile.conftest import write_xlsx

# Shaped after the ISO 20022 camt.053.001.02 examples (BkToCstmrStmt/Stmt/Ntry/NtryDtls).
CAMT = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
 <BkToCstmrStmt><GrpHdr><MsgId>S1</MsgId></GrpHdr><Stmt><Id>1</Id>
  <Ntry><Amt Ccy="EUR">1200.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
   <BookgDt><Dt>2026-03-02</Dt></BookgDt>
   <NtryDtls><TxDtls><RltdPties><Dbtr><Nm>ACME OY</Nm></Dbtr>
    <DbtrAcct><Id><IBAN>FI2112345600000785</IBAN></Id></DbtrAcct></RltdPties>
    <RmtInf><Strd><CdtrRefInf><Ref>RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf>
   </TxDtls></NtryDtls></Ntry>
  <Ntry><Amt Ccy="EUR">90.00</Amt><CdtDbtInd>DBIT</CdtDbtInd>
   <BookgDt><Dt>2026-03-03</Dt></BookgDt><AddtlNtryInf>&xxe;Fee</AddtlNtryInf></Ntry>
  <Ntry><Amt Ccy="EUR">310.50</Amt><CdtDbtInd>CRDT</CdtDbtInd>
   <BookgDt><Dt>2026-03-04</Dt></BookgDt>
   <NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Beta AB</Nm></Dbtr></RltdPties>
    <RmtInf><Ustrd>Invoice INV-7002 thanks</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
 </Stmt></BkToCstmrStmt></Document>
"""


def test_a_camt_053_statement_matches_by_entry_number(tmp_path: Path) -> None:
    left = tmp_path / "statement.dat"  # no telling extension: picked by content
    left.write_text(CAMT, encoding="utf-8")
    right = write_xlsx(tmp_path / "ledger.xlsx", [
        ["Invoice no", "Customer", "Due date", "Open amount", "Reference"],
        ["INV-7001", "Acme Oy", "2026-03-01", 1200.0, "RF18539007547034"],
        ["INV-7002", "Beta AB", "2026-03-01", 310.5, None],
    ])
    result = reconcile([left], [right], Rules(), out=tmp_path / "r.xlsx")
    data = result_json(result)
    assert {tuple(m["left"]): tuple(m["right"]) for m in data["matches"]} == {
        (1,): (2,), (3,): (3,)}
    assert [r.cents for r in result.left.records] == [120000, -9000, 31050]
    assert result.left.records[0].account == "FI2112345600000785"
    assert "root:" not in result.left.records[1].text  # the entity was not expanded


# A German MT940 with the structured :86: (?20 purpose, ?31 IBAN, ?32 name), as Sparkassen
# and Deutsche Bank document it (MT940 Deutschland structure).
MT940 = """:20:STARTUMS
:25:10020030/1234567
:28C:0
:60F:C260301EUR1000,00
:61:2603020302CR1200,00NTRFNONREF
:86:166?00GUTSCHRIFT?10931?20RF18539007547034?21Danke?30DEUTDEFF?31DE89370400440532013000?32ACME OY
:61:2603030303DR90,00NMSCNONREF
:86:805?00ENTGELT?20Kontofuehrung
:61:2603040304CR310,50NTRFNONREF
:86:166?00GUTSCHRIFT?20Rechnung INV-7002?31DE44500105175407324931?32BETA AB
:62F:C260304EUR2420,50
-
"""


def test_an_mt940_statement_matches_by_entry_number(tmp_path: Path) -> None:
    left = tmp_path / "umsaetze.sta"
    left.write_text(MT940, encoding="latin-1")
    right = write_xlsx(tmp_path / "ledger.xlsx", [
        ["Invoice no", "Customer", "Due date", "Open amount", "Reference"],
        ["INV-7001", "Acme Oy", "2026-03-01", 1200.0, "RF18539007547034"],
        ["INV-7002", "Beta AB", "2026-03-01", 310.5, None],
    ])
    result = reconcile([left], [right], Rules(), out=tmp_path / "r.xlsx")
    data = result_json(result)
    assert {tuple(m["left"]): tuple(m["right"]) for m in data["matches"]} == {
        (1,): (2,), (3,): (3,)}
    assert [r.cents for r in result.left.records] == [120000, -9000, 31050]
    assert result.left.records[0].account == "DE89370400440532013000"


def test_the_same_generated_statement_as_camt_and_mt940_reaches_the_f1_target(
    tmp_path: Path,
) -> None:
    import json

    from robots.reconcile.samples import generate_pair
    from tests.reconcile.conftest import f1, truth_pairs

    for fmt in ("camt053", "mt940"):
        left, right, truth_file = generate_pair(tmp_path / fmt, 400, seed=5, statement=fmt)
        data = result_json(reconcile([left], [right], Rules(), out=tmp_path / fmt / "r.xlsx"))
        truth = json.loads(truth_file.read_text())
        assert f1(truth_pairs(data), truth_pairs(truth)) >= 0.99
        matched = {row for m in data["matches"] for row in m["left"]}
        assert not matched & set(truth["unrelated_left"])
