"""Check digits of the identifiers an invoice carries.

Every function takes the identifier as printed (spaces and dashes allowed where the scheme
prints them) and returns ``True`` only when the check digit is right. A value that fails here
is never reported with status ``ok``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# IBANs and RF references (ISO 7064 mod-97) are shared with every robot; re-exported here.
from backoffice.locale.checkdigits import ALNUM, mod97, rf_valid
from backoffice.locale.checkdigits import IBAN_LENGTHS as IBAN_LENGTHS
from backoffice.locale.checkdigits import compact as compact
from backoffice.locale.checkdigits import iban_check_digits as iban_check_digits
from backoffice.locale.checkdigits import iban_valid as iban_valid

# The shape of each EU (and GB) VAT number after its country prefix.
VAT_FORMATS = {
    "AT": r"U\d{8}", "BE": r"[01]\d{9}", "BG": r"\d{9,10}", "CY": r"\d{8}[A-Z]",
    "CZ": r"\d{8,10}", "DE": r"\d{9}", "DK": r"\d{8}", "EE": r"\d{9}", "EL": r"\d{9}",
    "ES": r"[A-Z0-9]\d{7}[A-Z0-9]", "FI": r"\d{8}", "FR": r"[A-HJ-NP-Z0-9]{2}\d{9}",
    "GB": r"\d{9}(\d{3})?", "HR": r"\d{11}", "HU": r"\d{8}", "IE": r"\d[A-Z0-9+*]\d{5}[A-Z]{1,2}",
    "IT": r"\d{11}", "LT": r"\d{9}(\d{3})?", "LU": r"\d{8}", "LV": r"\d{11}", "MT": r"\d{8}",
    "NL": r"\d{9}B\d{2}", "PL": r"\d{10}", "PT": r"\d{9}", "RO": r"\d{2,10}", "SE": r"\d{12}",
    "SI": r"\d{8}", "SK": r"\d{10}", "XI": r"\d{9}",
}


def fi_reference_check(base: str) -> str:
    """The check digit of a Finnish (and Estonian) reference number: weights 7, 3, 1."""
    weights = (7, 3, 1)
    total = sum(int(d) * weights[i % 3] for i, d in enumerate(reversed(base)))
    return str((10 - total % 10) % 10)


def fi_reference_valid(value: str) -> bool:
    ref = compact(value)
    return bool(re.fullmatch(r"\d{4,20}", ref)) and fi_reference_check(ref[:-1]) == ref[-1]


rf_reference_valid = rf_valid  # ISO 11649 ``RFkk...``


def luhn_valid(value: str) -> bool:
    digits = compact(value)
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def luhn_check(base: str) -> str:
    for d in "0123456789":
        if luhn_valid(base + d):
            return d
    raise ValueError(base)


def fi_business_id_check(base7: str) -> str | None:
    weights = (7, 9, 10, 5, 8, 4, 2)
    r = sum(int(d) * w for d, w in zip(base7, weights, strict=True)) % 11
    if r == 1:
        return None
    return "0" if r == 0 else str(11 - r)


def fi_business_id_valid(value: str) -> bool:
    """Finnish Y-tunnus ``1234567-8`` (also inside a VAT number ``FI12345678``)."""
    digits = compact(value)
    if digits.startswith("FI"):
        digits = digits[2:]
    if not re.fullmatch(r"\d{8}", digits):
        return False
    return fi_business_id_check(digits[:7]) == digits[7]


def ee_registry_code_check(base7: str) -> str:
    for start in (1, 3):
        weights = [(start + i - 1) % 9 + 1 for i in range(7)]
        r = sum(int(d) * w for d, w in zip(base7, weights, strict=True)) % 11
        if r < 10:
            return str(r)
    return "0"


def ee_registry_code_valid(value: str) -> bool:
    """Estonian registry code (8 digits, weights 1..7 then 3..9)."""
    code = compact(value)
    return bool(re.fullmatch(r"[1-9]\d{7}", code)) and ee_registry_code_check(code[:7]) == code[7]


def ee_vat_check(base8: str) -> str:
    weights = (3, 7, 1, 3, 7, 1, 3, 7)
    total = sum(int(d) * w for d, w in zip(base8, weights, strict=True))
    return str((10 - total % 10) % 10)


def pl_nip_check(base9: str) -> str | None:
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    r = sum(int(d) * w for d, w in zip(base9, weights, strict=True)) % 11
    return None if r == 10 else str(r)


def pl_nip_valid(value: str) -> bool:
    nip = compact(value)
    if nip.startswith("PL"):
        nip = nip[2:]
    return bool(re.fullmatch(r"\d{10}", nip)) and pl_nip_check(nip[:9]) == nip[9]


def se_org_number_valid(value: str) -> bool:
    """Swedish organisation number ``556677-8899`` (Luhn over the ten digits)."""
    digits = compact(value)
    return bool(re.fullmatch(r"\d{10}", digits)) and luhn_valid(digits)


def de_vat_check(base8: str) -> str:
    product = 10
    for d in base8:
        s = (int(d) + product) % 10 or 10
        product = (2 * s) % 11
    check = 11 - product
    return "0" if check == 10 else str(check % 10)


def gb_vat_valid(digits: str) -> bool:
    if not re.fullmatch(r"\d{9}(\d{3})?", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1), strict=True))
    total += int(digits[7:9])
    return total % 97 == 0 or (total + 55) % 97 == 0


def gstin_check(base14: str) -> str:
    total = 0
    for i, ch in enumerate(base14):
        p = ALNUM.index(ch) * (1 if i % 2 == 0 else 2)
        total += p // 36 + p % 36
    return ALNUM[(36 - total % 36) % 36]


def gstin_valid(value: str) -> bool:
    """Indian GSTIN: state code, PAN, entity, 'Z', mod-36 check character."""
    g = compact(value)
    if not re.fullmatch(r"\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]", g):
        return False
    return gstin_check(g[:14]) == g[14]


def ar_cuit_valid(value: str) -> bool:
    """Argentine CUIT ``30-12345678-9``: a kind (20-27 persons, 30-34 companies, 50-55
    abroad), eight digits, a mod-11 check digit with weights 5,4,3,2,7,6,5,4,3,2 (a
    remainder of 1 gives 9, as AFIP issues it)."""
    digits = compact(value)
    if not re.fullmatch(r"(?:2[0347]|3[034]|5[015])\d{9}", digits):
        return False
    weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    r = sum(int(d) * w for d, w in zip(digits[:10], weights, strict=True)) % 11
    return "012345678990"[11 - r] == digits[10]


def it_partita_iva_valid(value: str) -> bool:
    """Italian Partita IVA: seven digits, a three-digit province office (001-100, 120, 121,
    888, 999) and a Luhn check digit."""
    digits = compact(value)
    if digits.startswith("IT"):
        digits = digits[2:]
    if not re.fullmatch(r"\d{11}", digits) or int(digits[:7]) == 0:
        return False
    office = digits[7:10]
    return ("001" <= office <= "100" or office in ("120", "121", "888", "999")) and \
        luhn_valid(digits)


def _es_dni_letter(digits: str) -> str:
    return "TRWAGMYFPDXBNJZSQVHLCKE"[int(digits) % 23]


def es_nif_valid(value: str) -> bool:
    """Spanish NIF: a DNI (eight digits and a mod-23 letter), an NIE (X/Y/Z for 0/1/2, the
    same letter) or a company CIF (a letter, seven digits and a Luhn digit or its letter
    'JABCDEFGHI'[digit])."""
    nif = compact(value)
    if nif.startswith("ES") and len(nif) == 11:
        nif = nif[2:]
    if re.fullmatch(r"\d{8}[A-Z]", nif):
        return _es_dni_letter(nif[:8]) == nif[8]
    if re.fullmatch(r"[XYZ]\d{7}[A-Z]", nif):
        return _es_dni_letter(str("XYZ".index(nif[0])) + nif[1:8]) == nif[8]
    if re.fullmatch(r"[KLM]\d{7}[A-Z]", nif):
        return _es_dni_letter(nif[1:8]) == nif[8]
    if re.fullmatch(r"[ABCDEFGHJNPQRSUVW]\d{7}[0-9A-J]", nif):
        check = luhn_check(nif[1:8])
        return nif[8] in (check, "JABCDEFGHI"[int(check)])
    return False


def pt_nif_valid(value: str) -> bool:
    """Portuguese NIF/NIPC: nine digits, weights 9..2, check 11 - sum mod 11 (10 and 11
    give 0)."""
    digits = compact(value)
    if digits.startswith("PT"):
        digits = digits[2:]
    if not re.fullmatch(r"[1-9]\d{8}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return str((11 - total % 11) % 11 % 10) == digits[8]


def be_enterprise_valid(value: str) -> bool:
    """Belgian enterprise number ``0123.456.749``: ten digits starting 0 or 1, the last two
    97 - (the first eight mod 97)."""
    digits = compact(value)
    if digits.startswith("BE"):
        digits = digits[2:]
    if len(digits) == 9:
        digits = "0" + digits  # printed before 2023 without its leading zero
    return bool(re.fullmatch(r"[01]\d{9}", digits)) and \
        (int(digits[:8]) + int(digits[8:])) % 97 == 0


def nl_btw_valid(value: str) -> bool:
    """Dutch BTW-id ``NL123456782B01``: the nine digits pass the eleven test (weights
    9..2, -1) or, for numbers issued since 2020, the whole id passes ISO 7064 mod 97."""
    vat = compact(value)
    if not vat.startswith("NL"):
        vat = "NL" + vat
    if not re.fullmatch(r"NL\d{9}B\d{2}", vat) or int(vat[2:11]) == 0 or vat[-2:] == "00":
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    eleven = sum(int(d) * w for d, w in zip(vat[2:11], weights, strict=True)) % 11 == 0
    return eleven or mod97(vat) == 1


def at_uid_valid(value: str) -> bool:
    """Austrian UID ``ATU12345675``: seven digits and a check digit, (6 - the Luhn sum of
    the seven) mod 10."""
    uid = compact(value)
    if uid.startswith("AT"):
        uid = uid[2:]
    if not re.fullmatch(r"U\d{8}", uid):
        return False
    total = sum(int(d) if i % 2 == 0 else int("0246813579"[int(d)])
                for i, d in enumerate(reversed(uid[1:8])))
    return str((6 - total) % 10) == uid[8]


def _mod11_zero(digits: str, weights: tuple[int, ...]) -> bool:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def dk_cvr_valid(value: str) -> bool:
    """Danish CVR number: eight digits, weights 2,7,6,5,4,3,2,1, the sum divisible by 11."""
    digits = compact(value)
    if digits.startswith("DK"):
        digits = digits[2:]
    return bool(re.fullmatch(r"[1-9]\d{7}", digits)) and \
        _mod11_zero(digits, (2, 7, 6, 5, 4, 3, 2, 1))


def no_org_number_valid(value: str) -> bool:
    """Norwegian organisation number (also inside ``NO 123 456 785 MVA``): nine digits,
    weights 3,2,7,6,5,4,3,2,1, the sum divisible by 11."""
    digits = compact(value)
    digits = digits.removeprefix("NO").removesuffix("MVA")
    return bool(re.fullmatch(r"\d{9}", digits)) and \
        _mod11_zero(digits, (3, 2, 7, 6, 5, 4, 3, 2, 1))


def br_cnpj_valid(value: str) -> bool:
    """Brazilian CNPJ ``12.345.678/0001-95``: twelve digits and two mod-11 check digits."""
    digits = compact(value)
    if not re.fullmatch(r"\d{14}", digits) or digits.startswith("000000000000"):
        return False
    values = [int(d) for d in digits[:12]]
    for weights in ((5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2),
                    (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)):
        values.append((11 - sum(v * w for v, w in zip(values, weights, strict=True)))
                      % 11 % 10)
    return "".join(map(str, values[12:])) == digits[12:]


def ch_uid_valid(value: str) -> bool:
    """Swiss UID ``CHE-123.456.789`` (the VAT number adds 'MWST', 'TVA' or 'IVA'): eight
    digits, weights 5,4,3,2,7,6,5,4, check 11 - sum mod 11 (10 is never issued)."""
    uid = re.sub(r"(?:MWST|TVA|IVA|TPV)$", "", compact(value))
    if not re.fullmatch(r"CHE\d{9}", uid):
        return False
    total = sum(int(d) * w for d, w in zip(uid[3:11], (5, 4, 3, 2, 7, 6, 5, 4), strict=True))
    return str((11 - total % 11) % 11) == uid[11]


def vat_format_valid(value: str) -> bool:
    vat = compact(value)
    pattern = VAT_FORMATS.get(vat[:2])
    return pattern is not None and re.fullmatch(pattern, vat[2:]) is not None


def vat_valid(value: str) -> bool | None:
    """``True``/``False`` where we know the country's check digit, ``None`` where only the
    format could be checked (and the format was right); a wrong format is ``False``."""
    vat = compact(value)
    if not vat_format_valid(vat):
        return False
    country, body = vat[:2], vat[2:]
    if country == "FI":
        return fi_business_id_valid(body)
    if country == "EE":
        return ee_vat_check(body[:8]) == body[8]
    if country == "PL":
        return pl_nip_valid(body)
    if country == "SE":
        return body.endswith("01") and se_org_number_valid(body[:10])
    if country == "DE":
        return de_vat_check(body[:8]) == body[8]
    if country == "GB":
        return gb_vat_valid(body)
    if country == "FR" and body[:2].isdigit():
        return int(body[:2]) == (12 + 3 * (int(body[2:]) % 97)) % 97
    national = _VAT_CHECKS.get(country)
    return national(body) if national is not None else None


# The EU VAT numbers whose body is a national id with a check digit of its own.
_VAT_CHECKS = {"IT": it_partita_iva_valid, "ES": es_nif_valid, "PT": pt_nif_valid,
               "BE": be_enterprise_valid, "NL": nl_btw_valid, "AT": at_uid_valid,
               "DK": dk_cvr_valid}


# Shapes (as printed) that one scheme only uses: its check digit decides.
_PRINTED_SHAPES: tuple[tuple[str, Callable[[str], bool]], ...] = (
    (r"\d{7}-\d", fi_business_id_valid),
    (r"\d{6}-\d{4}", se_org_number_valid),
    (r"\d{3}-\d{3}-\d{2}-\d{2}|\d{3}-\d{2}-\d{2}-\d{3}", pl_nip_valid),
    (r"\d{2}-\d{8}-\d", ar_cuit_valid),
    (r"\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}", br_cnpj_valid),
    (r"[01]\d{3}\.\d{3}\.\d{3}", be_enterprise_valid),
)
# Bare digits (and the Spanish letter forms) that several schemes share: any one whose check
# passes vouches for them, none is no verdict (it may be a scheme we do not know).
_SHARED_SHAPES: tuple[tuple[str, tuple[Callable[[str], bool], ...]], ...] = (
    (r"[A-Z]\d{7}[A-Z0-9]|\d{8}[A-Z]", (es_nif_valid,)),
    (r"\d{14}", (br_cnpj_valid,)),
    (r"\d{11}", (ar_cuit_valid, it_partita_iva_valid)),
    (r"\d{10}", (pl_nip_valid, se_org_number_valid, be_enterprise_valid)),
    (r"\d{9}", (pt_nif_valid, no_org_number_valid)),
    (r"[1-9]\d{7}", (ee_registry_code_valid, dk_cvr_valid)),
)


def tax_id_valid(value: str) -> bool | None:
    """Check any tax identifier we recognise; ``None`` when no check is known for it."""
    raw = value.strip()
    c = compact(raw)
    if re.fullmatch(r"[A-Z]{2}[A-Z0-9+*]{2,13}", c) and c[:2] in VAT_FORMATS:
        return vat_valid(c)
    if re.fullmatch(r"\d{2}[A-Z]{5}\d{4}[A-Z][0-9A-Z]{3}", c):
        return gstin_valid(c)
    if re.fullmatch(r"CHE\d{9}(?:MWST|TVA|IVA|TPV)?", c):
        return ch_uid_valid(c)
    for shape, check in _PRINTED_SHAPES:
        if re.fullmatch(shape, raw):
            return check(raw)
    for shape, checks in _SHARED_SHAPES:
        if re.fullmatch(shape, c):
            return any(check(c) for check in checks) or None
    return None


def payment_reference_valid(value: str, country: str | None) -> bool | None:
    """RF references always carry a check; national ones where the payee's country has a
    scheme (FI/EE 7-3-1, SE OCR Luhn). ``None`` when the reference is free text."""
    ref = compact(value)
    if ref.startswith("RF") and ref[2:4].isdigit():
        return rf_reference_valid(ref)
    if not ref.isdigit():
        return None
    if country in ("FI", "EE"):
        return fi_reference_valid(ref)
    if country == "SE":
        return luhn_valid(ref)
    return None
