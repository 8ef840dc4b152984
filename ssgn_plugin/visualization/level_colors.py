import numpy as np

# Distortion levels 0-3 as RGB: black, then yellow, orange, red as warps grow.
LEVEL_COLORS = np.array([[0, 0, 0], [250, 220, 40], [245, 130, 30],
                         [220, 30, 30]], np.uint8)


def colorize_levels(levels: np.ndarray) -> np.ndarray:
    """(H, W) or (H, W, 1) levels 0-3 -> (H, W, 3) uint8 RGB."""
    return LEVEL_COLORS[np.asarray(levels).reshape(levels.shape[:2])]
