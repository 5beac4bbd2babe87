"""Single sign-on with OpenID Connect (docs/deployment.md, "Single sign-on")."""
