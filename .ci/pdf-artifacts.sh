#!/usr/bin/env bash
# Render a sample certificate and assessment report and convert the first page of each
# to PNG (test-artifacts/pdf/), for a look at the layout in CI. Needs poppler-utils and
# a CJK font (fonts-arphic-uming or fonts-wqy-zenhei).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=test-artifacts/pdf
mkdir -p "$OUT"
rm -f "$OUT"/*.pdf "$OUT"/*.png

"$PY" - "$OUT" <<'PYEOF'
import sys
from pathlib import Path

from accreditation.pdf import load_cjk_font, render_assessment_report, render_certificate
from accreditation.pdf.samples import sample_certificate, sample_report

out = Path(sys.argv[1])
font = load_cjk_font()
print(f"font: {font.name} ({font.source}, embedded={font.embedded})")
(out / "certificate.pdf").write_bytes(render_certificate(sample_certificate(), font=font))
(out / "report.pdf").write_bytes(render_assessment_report(sample_report(), font=font))
PYEOF

for pdf in "$OUT"/*.pdf; do
  pdftoppm -png -r 80 -f 1 -l 1 "$pdf" "${pdf%.pdf}"
done
ls -l "$OUT"
