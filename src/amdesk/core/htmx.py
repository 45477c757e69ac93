def is_htmx(request) -> bool:
    """True for a request htmx made (it sends HX-Request: true), which gets a partial back."""
    return request.headers.get("HX-Request") == "true"
