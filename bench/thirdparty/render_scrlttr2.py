"""Typeset invoice letters with KOMA-Script's scrlttr2 (pdflatex); jobs as JSON on stdin.

Each job holds the letter's text, already worded and formatted by ``bench/thirdparty.py``;
this script only writes it into the class's variables (letterhead, back address, reference
line, subject, first-page footer) and the ``letter`` environment, and lets the class and its
``.lco`` file lay the page out. Prints one report per job: the KOMA-Script version used.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
           "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
           "^": r"\textasciicircum{}"}


def tex(text: str) -> str:
    """Plain text as LaTeX; a no-break space (grouping digits, '€' after an amount) as '~'."""
    out = "".join(SPECIAL.get(ch, ch) for ch in text)
    return out.replace("\u00a0", "~").replace("€", r"\texteuro{}")


def lines(parts: list[str]) -> str:
    return r"\\".join(tex(p) for p in parts)


def table(job: dict[str, Any]) -> str:
    """The line table (description wraps in a p column) and its total rows under it."""
    head, rows, totals = job["table"]["head"], job["table"]["rows"], job["table"]["totals"]
    numbers = len(head) - 1
    spec = r"@{}p{" + job["table"]["width"] + "}" + "r" * numbers + "@{}"
    out = [r"\begin{tabular}{" + spec + "}", r"\hline",
           " & ".join(r"\textbf{" + tex(h) + "}" for h in head) + r"\\", r"\hline"]
    out += [" & ".join(tex(c) for c in row) + r"\\" for row in rows]
    out.append(r"\hline")
    for i, (label, value) in enumerate(totals):
        last = i == len(totals) - 1
        label, value = tex(label), tex(value)
        if last:  # the amount to pay, in bold as letters print it
            label, value = r"\textbf{" + label + "}", r"\textbf{" + value + "}"
        out.append(r"\multicolumn{" + str(numbers) + "}{@{}l}{" + label + "} & " + value +
                   r"\\")
    out.append(r"\hline")
    out.append(r"\end{tabular}")
    return "\n".join(out)


def footer(columns: list[list[str]]) -> str:
    cols = [r"\begin{tabular}[t]{@{}l@{}}" + lines(c) + r"\end{tabular}" for c in columns]
    return (r"\parbox[t]{\textwidth}{\footnotesize\rule[3pt]{\textwidth}{.4pt}\\" +
            r"\hfill".join(cols) + "}")


def document(job: dict[str, Any]) -> str:
    options = [job["lco"], "version=last", "fromphone=true", "backaddress=true",
               f"fromalign={job['fromalign']}", f"refline={job['refline']}",
               f"firstfoot={'true' if job['footer'] else 'false'}",
               f"fromlogo={'true' if job['logo'] else 'false'}",
               "fromrule=afteraddress" if job["fromrule"] else "fromrule=false",
               "enlargefirstpage=true"]
    var = [r"\setkomavar{fromname}{" + tex(job["fromname"]) + "}",
           r"\setkomavar{fromaddress}{" + lines(job["fromaddress"]) + "}",
           r"\setkomavar{fromphone}{" + tex(job["fromphone"]) + "}",
           r"\setkomavar{backaddress}{" + lines(job["backaddress"]) + "}",
           r"\setkomavar{date}{" + tex(job["date"]) + "}",
           r"\setkomavar{subject}{" + tex(job["subject"]) + "}"]
    if job["logo"]:
        var.append(r"\setkomavar{fromlogo}{\fbox{\Large\bfseries " + tex(job["logo"]) + "}}")
    if job["place"]:
        var.append(r"\setkomavar{place}{" + tex(job["place"]) + "}")
    for name, value in job["refline_vars"].items():
        var.append(r"\setkomavar{" + name + "}{" + tex(value) + "}")
    if job["footer"]:
        var.append(r"\setkomavar{firstfoot}{" + footer(job["footer"]) + "}")
    body = [r"\begin{letter}{" + lines(job["recipient"]) + "}",
            r"\opening{" + tex(job["opening"]) + "}"]
    body += [tex(p) + "\n" for p in job["before"]]
    body += [r"\noindent" + table(job) + "\n", r"\medskip"]
    body += [tex(p) + "\n" for p in job["after"]]
    body += [r"\closing{" + tex(job["closing"]) + "}", r"\end{letter}"]
    return "\n".join([
        r"\documentclass[" + ",".join(options) + "]{scrlttr2}",
        # text extraction as any accessible PDF has it: '²', 'ﬁ' mapped to their characters
        r"\input{glyphtounicode}", r"\pdfgentounicode=1",
        r"\usepackage[T1]{fontenc}", r"\usepackage[utf8]{inputenc}", r"\usepackage{lmodern}",
        r"\usepackage[" + job["babel"] + "]{babel}",
        # a wide table must not spill over the right margin on narrow letter layouts
        r"\setlength{\tabcolsep}{4pt}",
        *var, r"\begin{document}", *body, r"\end{document}", ""])


def koma_version() -> str:
    kpse = shutil.which("kpsewhich")
    found = subprocess.run([kpse, "scrkbase.sty"], capture_output=True, text=True,
                           check=False).stdout.strip() if kpse else ""
    if not found:
        return "unknown"
    match = re.search(r"\\KOMAScriptVersion\{(.*?)\}|KOMAScriptVersion\}\{([^}]*)\}",
                      Path(found).read_text("latin-1"))
    return next((g for g in match.groups() if g), "unknown") if match else "unknown"


def render(job: dict[str, Any], work: Path) -> None:
    name = Path(job["path"]).stem
    (work / f"{name}.tex").write_text(document(job), "utf-8")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                           f"{name}.tex"], cwd=work, capture_output=True, check=False,
                          timeout=120)
    if done.returncode:
        # TeX's log is in the input's bytes, not always UTF-8 (a line broken mid-character)
        log = done.stdout.decode("utf-8", "replace")
        raise RuntimeError(f"pdflatex failed on {name}: {log[-3000:]}")
    shutil.copyfile(work / f"{name}.pdf", job["path"])


def main() -> None:
    jobs = json.load(sys.stdin)
    version = koma_version()
    with tempfile.TemporaryDirectory(prefix="scrlttr2-") as tmp:
        for job in jobs:
            render(job, Path(tmp))
    json.dump([{"koma": version} for _ in jobs], sys.stdout)


if __name__ == "__main__":
    main()
