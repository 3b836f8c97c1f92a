"""A second, different ERP UI for the form-map language: German, two-step entry (header,
then lines), element ids that change on every page load, a vendor autocomplete that asks the
server as you type and knows tax ids without their country prefix, German number and date
formats, and a gross total it computes itself by rounding each line on its own (so it can
differ by a cent from an invoice that rounds VAT once). Only a form map teaches the robot it."""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

# Tax ids as this ERP keeps them: national digits only, no "DE"/"FI" prefix.
VENDORS = [{"name": "Rhein Maschinenbau GmbH", "ust": "811907980"},
           {"name": "Nordic Paper Oy", "ust": "12345671"}]


# Gross per line, each rounded half up to the cent on its own, then summed (in cents).
GROSS_PER_LINE_JS = """
const num = t => { t = (t || '').trim().replace(/\\./g, '').replace(',', '.');
                   return /^-?\\d+(\\.\\d+)?$/.test(t) ? parseFloat(t) : null; };
document.querySelector('form').addEventListener('input', () => {
  let sum = 0;
  for (const tr of document.querySelectorAll('tbody tr')) {
    const net = num(tr.querySelector('[name=betrag]').value);
    const rate = num(tr.querySelector('[name=satz]').value);
    if (net === null || rate === null) continue;
    const cents = Math.round(net * 100) * (100 + rate) / 100;
    sum += Math.sign(cents) * Math.round(Math.abs(cents));
  }
  const abs = Math.abs(sum), whole = String(Math.floor(abs / 100));
  document.querySelector('.summe').value = (sum < 0 ? '-' : '') +
    whole.replace(/\\B(?=(\\d{3})+(?!\\d))/g, '.') + ',' + String(abs % 100).padStart(2, '0');
});
"""


def rid() -> str:
    return "x" + secrets.token_hex(4)


def field(label: str, name: str, value: str = "", extra: str = "") -> str:
    i = rid()
    return (f'<div><label for="{i}">{label}</label> '
            f'<input id="{i}" name="{name}" value="{escape(value)}" {extra}></div>')


def page(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(f"<!doctype html><html lang=de><body>{body}</body></html>", status)


def de_number(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip().replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None


class VariantErp:
    def __init__(self, password: str) -> None:
        self.password = password
        self.sessions: set[str] = set()
        self.drafts: dict[str, dict[str, Any]] = {}
        self.booked: list[dict[str, Any]] = []

    def authed(self, request: Request) -> bool:
        return request.cookies.get("sid") in self.sessions

    async def login_form(self, request: Request, error: str = "") -> Response:
        err = f'<p class="fehler">{error}</p>' if error else ""
        return page(f"<h1>Anmeldung</h1>{err}<form method=post action=/anmelden>"
                    f"{field('Benutzername', 'u')}{field('Kennwort', 'p', extra='type=password')}"
                    "<button>Anmelden</button></form>", 401 if error else 200)

    async def login(self, request: Request) -> Response:
        form = await request.form()
        if form.get("p") != self.password:
            return await self.login_form(request, "Anmeldung fehlgeschlagen.")
        sid = secrets.token_hex(8)
        self.sessions.add(sid)
        response = RedirectResponse("/belege", 303)
        response.set_cookie("sid", sid)
        return response

    async def search(self, request: Request) -> Response:
        if not self.authed(request):
            return RedirectResponse("/anmelden", 303)
        q = request.query_params.get("suche", "")
        rows = "".join(f"<tr><td>{b['beleg']}</td><td>{escape(b['lieferant'])}</td>"
                       f"<td>{escape(b['rechnung'])}</td></tr>"
                       for b in self.booked if q in b["rechnung"])
        return page(f"<h1>Belege</h1><p class=anzahl>Treffer</p><table><tr><th>Beleg</th>"
                    f"<th>Lieferant</th><th>Rechnungsnr.</th></tr>{rows}</table>")

    async def suggest(self, request: Request) -> Response:
        q = request.query_params.get("q", "").lower()
        return JSONResponse([v for v in VENDORS if q and (q in v["name"].lower()
                                                          or q in v["ust"].lower())])

    async def step1(self, request: Request) -> Response:
        if not self.authed(request):
            return RedirectResponse("/anmelden", 303)
        error = ""
        if request.method == "POST":
            form = await request.form()
            vendor = next((v for v in VENDORS if v["name"] == form.get("lieferant")), None)
            if vendor is None:
                error = "Lieferant unbekannt."
            elif any(b["rechnung"] == form.get("nr") and b["lieferant"] == vendor["name"]
                     for b in self.booked):
                error = "Rechnung bereits erfasst."
            else:
                draft = rid()
                self.drafts[draft] = {"lieferant": vendor["name"], "rechnung": form.get("nr"),
                                      "datum": form.get("datum")}
                return RedirectResponse(f"/erfassen/positionen?entwurf={draft}", 303)
        err = f'<p class="fehler">{error}</p>' if error else ""
        lid, box = rid(), rid()
        return page(
            f"<h1>Eingangsrechnung erfassen – Schritt 1 von 2: Kopfdaten</h1>{err}"
            f"<form method=post><div><label for={lid}>Lieferant</label>"
            f"<input id={lid} name=lieferant autocomplete=off role=combobox></div>"
            f'<div id={box} role=listbox aria-label="Vorschläge"></div>'
            f"{field('Rechnungsnummer', 'nr')}{field('Rechnungsdatum', 'datum')}"
            "<button>Weiter</button></form><script>"
            f"const i=document.getElementById('{lid}'),b=document.getElementById('{box}');"
            "i.addEventListener('input',async()=>{const r=await fetch('/api/lieferanten?q='+"
            "encodeURIComponent(i.value));const vs=await r.json();b.innerHTML='';"
            "for(const v of vs){const o=document.createElement('div');o.setAttribute('role',"
            "'option');o.textContent=v.name+' ('+v.ust+')';o.onclick=()=>{i.value=v.name;"
            "b.innerHTML='';};b.appendChild(o);}"
            "if(!vs.length){b.innerHTML='<p class=leer>Keine Treffer</p>';}});</script>")

    async def step2(self, request: Request) -> Response:
        if not self.authed(request):
            return RedirectResponse("/anmelden", 303)
        draft_id = request.query_params.get("entwurf", "")
        draft = self.drafts.get(draft_id)
        if draft is None:
            return page("<p class=fehler>Entwurf unbekannt.</p>", 404)
        error = ""
        if request.method == "POST":
            form = await request.form()
            amounts = [de_number(str(a)) for a in form.getlist("betrag")]
            brutto = de_number(str(form.get("brutto", "")))
            if None in amounts or brutto is None:
                error = "Betrag ungültig."
            else:
                number = f"2024-{len(self.booked) + 1:05d}"
                self.booked.append({**draft, "beleg": number, "brutto": str(brutto),
                                    "positionen": [str(form.getlist("bez")[n]) + "|" + str(a)
                                                   for n, a in enumerate(amounts)]})
                del self.drafts[draft_id]
                return page(f"<h1>Gebucht</h1><p class=meldung>Beleg {number} wurde gebucht.</p>")
        err = f'<p class="fehler">{error}</p>' if error else ""
        row = (f'<tr><td><input id="{rid()}" name=bez aria-label="Bezeichnung"></td>'
               f'<td><input id="{rid()}" name=betrag aria-label="Betrag"></td>'
               f'<td><input id="{rid()}" name=satz aria-label="USt-Satz"></td></tr>')
        add = rid()
        return page(
            f"<h1>Schritt 2 von 2: Positionen zu Rechnung {escape(str(draft['rechnung']))}"
            f"</h1>{err}<form method=post>"
            f"<table><tbody></tbody></table>"
            f"<button type=button id={add}>Position hinzufügen</button>"
            f"<p>Summe brutto: <output class=summe>0,00</output></p>"
            f"{field('Bruttobetrag', 'brutto')}<button>Buchen</button></form>"
            f"<script>document.getElementById('{add}').onclick=()=>document.querySelector("
            f"'tbody').insertAdjacentHTML('beforeend', `{row}`);{GROSS_PER_LINE_JS}</script>")

    async def api(self, request: Request) -> Response:
        return JSONResponse(self.booked)


def create_variant_app(password: str) -> Starlette:
    erp = VariantErp(password)
    app = Starlette(routes=[
        Route("/anmelden", erp.login_form, methods=["GET"]),
        Route("/anmelden", erp.login, methods=["POST"]),
        Route("/belege", erp.search),
        Route("/erfassen", erp.step1, methods=["GET", "POST"]),
        Route("/erfassen/positionen", erp.step2, methods=["GET", "POST"]),
        Route("/api/lieferanten", erp.suggest),
        Route("/api/belege", erp.api),
    ])
    app.state.erp = erp
    return app
