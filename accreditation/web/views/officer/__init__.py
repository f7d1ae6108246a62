"""The commission officer's pages: the region dashboard (``dashboard``), panels and
decisions (``review``), public notices (``notices``), recognitions and look-backs
(``recognitions``), consistency checks and reductions (``checks``).

Every page is for officers only (anonymous: sign-in; other roles: 403) and scoped to
the officer's region and below (anything outside answers 404). Writes go through the
services; their refusals come back as messages on the page.
"""
