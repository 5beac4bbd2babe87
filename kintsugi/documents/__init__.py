"""The post-mortem as a whole document: export, import and the demo data set.

These use cases read or write every part of a post-mortem at once (incident, timeline,
factors, lessons, action items, the 5 Whys tree) and obey the rules of the apps that own
those parts (the publishing gate, the due-date policy), so this app sits above
postmortems, analysis, blameless and debt, and below the interfaces (web, api, commands)
that call it. ``assembly`` reads an incident into the exchange form
(``kintsugi.core.document``); ``imports`` (with ``import_parts`` and ``import_writer``)
writes one back; ``revision`` is the digest that keeps a re-import from overwriting an
edit; ``exports`` renders the file formats; ``demo`` loads the demo post-mortems.
"""
