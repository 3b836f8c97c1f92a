"""Fetch held-out e-invoice samples that open-source packages ship, into a cache outside
the repository, for ``bench/einvoice.py --extra DIR`` (their XML) and ``bench/invoices.py``
(the hybrid PDFs read by their page only: ``bench/real_pages.py``).

    .venv/bin/python bench/fetch_einvoice_samples.py [--dest DIR]

Each source is one package at a pinned version, downloaded with pip (``pip download
--no-deps``: its source distribution, or its wheel where only that ships the samples), of
which only the sample files are copied out, by name (no links, no paths outside the
folder). The cache is ``~/.cache/backoffice-bots/einvoice-samples`` (or
``$BOTS_EINVOICE_SAMPLES``, or ``--dest``):

- ``DIR/<source>/`` holds the samples;
- ``DIR/<source>/invalid/`` those the package itself presents as broken, rejected or not
  an invoice;
- ``DIR/<source>/SOURCE.json`` says where they came from and under which license.

Nothing here is committed: the files stay the packages' own (see
``tests/fixtures/einvoice/SOURCES.md``). Sources already in the cache are not downloaded
again (``--force`` does).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import IO


@dataclass(frozen=True)
class Source:
    name: str  # the folder in the cache
    package: str  # on PyPI
    version: str
    license: str
    samples: tuple[str, ...]  # globs inside the unpacked package (its top folder stripped)
    invalid: tuple[str, ...] = ()  # file names the package presents as broken / not invoices
    producer: str = ""  # who wrote the samples, where the package says
    wheel: bool = False  # the samples ship in the wheel (paths kept whole), not an sdist


SOURCES = (
    Source("factur-x", "factur-x", "7.8", "BSD (Akretion)",
           ("tests/fixtures/xml/*.xml", "tests/fixtures/pdf/*.pdf"),
           # Order-X documents are orders, not invoices: the reader must refuse them
           invalid=("order-x-*.xml",),
           producer="Akretion / FNFE-MPE Factur-X and ZUGFeRD examples, UBL CTC-FR example"),
    Source("django-xrechnung", "django-xrechnung", "0.5.0",
           "BSD-3-Clause; samples from pretix/python-drafthorse (Apache-2.0) under the FeRD "
           "usage notice",
           ("tests/fixtures/inbound/*.xml", "tests/fixtures/inbound/*.pdf",
            "tests/fixtures/valid_invoice.xml"),
           # its manifest.json: expected_state "rejected" or "unsupported"
           invalid=("malformed.xml", "malformed.pdf", "malformed-embedded.pdf", "no-xml.pdf",
                    "unknown.xml", "rejected-cii.xml", "unsupported-profile.xml",
                    "xrechnung-cii.xml", "multiple.pdf"),
           producer="FeRD ZUGFeRD 2.3 examples (via drafthorse), XRechnung UBL"),
    Source("facturex", "facturex", "0.6.4", "MIT",
           ("tests/fixtures/*.xml",), invalid=("facture_invalide_*.xml",),
           producer="facturex (France): one invoice as CII and as UBL"),
    Source("finvoicelib", "FinvoiceLib", "0.1.13", "BSD",
           ("finvoicelib/resources/*.xml",),
           producer="Finvoice 1.0 / 1.2 examples (OKOBANK Group), one in its SOAP frame"),
    Source("oca-facturx-import", "odoo-addon-account-invoice-import-facturx", "18.0.1.1.0.2",
           "AGPL-3 (OCA); the ZUGFeRD 1.0 samples under the FeRD usage notice",
           ("odoo/addons/account_invoice_import_facturx/tests/files/*.pdf",
            "odoo/addons/account_invoice_import_facturx/tests/files/*.xml"),
           producer="Akretion French Factur-X PDFs (5 profiles), FeRD ZUGFeRD 1.0 PDFs",
           wheel=True),
)


def default_dest() -> Path:
    env = os.environ.get("BOTS_EINVOICE_SAMPLES")
    return Path(env) if env else Path.home() / ".cache" / "backoffice-bots" / "einvoice-samples"


def download(source: Source, into: Path) -> Path:
    """The sdist (or wheel) of ``source`` (pip's own client and index settings)."""
    binary = [] if source.wheel else ["--no-binary", ":all:"]
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", *binary,
                    "--dest", str(into), f"{source.package}=={source.version}"], check=True,
                   timeout=300)
    found = sorted(into.glob("*.whl" if source.wheel else "*.tar.gz"))
    if not found:
        raise RuntimeError(f"{source.package}: pip gave no {'wheel' if source.wheel else 'sdist'}")
    return found[0]


def members(archive: Path, wheel: bool) -> Iterator[tuple[PurePosixPath, IO[bytes]]]:
    """(path inside the package, contents) of each regular file; an sdist's top folder is
    dropped (``pkg-1.0/tests/x.xml`` -> ``tests/x.xml``), a wheel's paths are kept."""
    if wheel:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                if not info.is_dir():
                    with zf.open(info) as fh:
                        yield PurePosixPath(info.filename), fh
        return
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            fh = tar.extractfile(member) if member.isfile() else None
            if fh is not None:
                with fh:
                    yield PurePosixPath(*PurePosixPath(member.name).parts[1:]), fh


def unpack(source: Source, sdist: Path, dest: Path) -> list[Path]:
    """Copy the sample files of ``sdist`` into ``dest/<source>`` (``invalid/`` apart)."""
    out = dest / source.name
    written: list[Path] = []
    for inner, fh in members(sdist, source.wheel):
        if not any(fnmatch.fnmatch(str(inner), g) for g in source.samples):
            continue
        bad = any(fnmatch.fnmatch(inner.name, g) for g in source.invalid)
        target = (out / "invalid" if bad else out) / inner.name  # the name only: no path
        if target.exists():  # two samples of one name: keep both
            target = target.with_name(f"{inner.parent.name}-{inner.name}")
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as w:
            shutil.copyfileobj(fh, w)
        written.append(target)
    (out / "SOURCE.json").write_text(json.dumps(asdict(source) | {"sdist": sdist.name},
                                                indent=2), "utf-8")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=default_dest())
    parser.add_argument("--force", action="store_true", help="download again")
    args = parser.parse_args()
    args.dest.mkdir(parents=True, exist_ok=True)
    for source in SOURCES:
        folder = args.dest / source.name
        if (folder / "SOURCE.json").is_file() and not args.force:
            print(f"{source.name}: in the cache ({folder})")
            continue
        shutil.rmtree(folder, ignore_errors=True)
        with tempfile.TemporaryDirectory(prefix="einvoice-sdist-") as tmp:
            try:
                files = unpack(source, download(source, Path(tmp)), args.dest)
            except (subprocess.SubprocessError, RuntimeError, tarfile.TarError,
                    zipfile.BadZipFile) as exc:
                print(f"{source.name}: not fetched ({exc})")
                continue
        bad = sum(f.parent.name == "invalid" for f in files)
        print(f"{source.name}: {len(files)} files ({bad} presented as invalid), "
              f"{source.package} {source.version}, {source.license}")
    print(f"run: .venv/bin/python bench/einvoice.py --extra {args.dest}")


if __name__ == "__main__":
    main()
