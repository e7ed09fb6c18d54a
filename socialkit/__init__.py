"""socialkit: the helper library of *Customers, Not Channels*.

Notebooks import it in one setup cell; the logic they use lives here, tested.

Modules: ``bass`` (diffusion model), ``relevance`` (Chapter 1's model), ``style`` (plotting
style), ``widgets`` (sliders that work on the static page), ``figures`` (lesson figures),
``quiz`` (concept checks).
"""
__version__ = "0.1.0"
