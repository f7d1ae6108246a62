"""Server-rendered pages for institution staff, reviewers, the commission and the
public. Views are thin: check the role and scope, call one service or selector,
render. Every write goes through ``accreditation.services``."""
