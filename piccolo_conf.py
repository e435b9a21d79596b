# The piccolo CLI reads this from the project root (e.g. `piccolo migrations new perp_track --auto`).
from perp_track.piccolo_conf import *  # noqa: F403
