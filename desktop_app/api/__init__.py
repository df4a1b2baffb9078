"""The DeskHero HTTP client (httpx): tenant profiles, typed outcomes, envelope parsing."""
