// The image a network reads: SIDE×SIDE grey pixels, as py/nn/model.py's
// ROWS and COLS (tests/test_contract.py checks they agree). Samples, the
// pictures of what the network read, and the images sent to Python all
// have this size.

export const SIDE = 28;
export const PIXELS = SIDE * SIDE;
