"""The OpenAPI schema and the Swagger UI page: served offline (assets from the
drf-spectacular-sidecar package) and working under the strict Content-Security-Policy,
with no exception for the page."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders


def test_schema_is_served_as_openapi_3(db, api):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.0")
    assert b"/api/v1/assessments/{assessment_id}/items/{item_code}/" in response.content


def test_docs_page_loads_its_assets_from_this_site_only(db, api):
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources, html
    for source in sources:
        assert source.startswith("/"), source  # no CDN
    for asset in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        path = f"drf_spectacular_sidecar/swagger-ui-dist/{asset}"
        assert f"/static/{path}" in sources
        assert finders.find(path), f"{path} is not installed"


def test_docs_page_needs_no_inline_script_or_style(db, api):
    response = api.get("/api/v1/docs/")
    html = response.content.decode()
    assert "<style" not in html
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", html) == []
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_docs_init_script_is_served_as_javascript(db, api):
    html = api.get("/api/v1/docs/").content.decode()
    script = re.findall(r'<script src="([^"]*script=[^"]*)"', html)[0].replace("&amp;", "&")
    response = api.get(script)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert b"/api/v1/schema/" in response.content
