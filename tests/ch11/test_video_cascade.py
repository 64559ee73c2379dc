"""Chapter 11: a cascaded clip (key frames together, then the frames between) moves
steadily; the same frames generated independently do not."""

import torch


def test_the_measure_of_steady_motion(snippet):
    module = snippet("ch11/video_cascade.py")
    real = module.clips(1000)
    stray = module.wobble(real)  # real clips move steadily (the screen's edge cuts a
    assert stray.mean() < 0.05 and stray.max() < 0.3  # spot near it a little)
    assert module.one_spot(real).all()
    two = real[:, 0] + real[:, 8] + 1  # two spots in a frame: not one clear spot
    far = (module.spot(real[:, 8]) - module.spot(real[:, 0])).abs() > 9
    assert far.sum() > 3 and not module.one_spot(two[far]).any()


def test_cascade_keeps_the_key_frames_and_stays_consistent(ran):
    ns = ran("ch11/video_cascade.py").namespace
    cascaded, drawn = ns["cascaded"], ns["drawn"]
    keys = drawn.reshape(len(drawn), 3, 16)
    assert torch.equal(cascaded[:, [0, 4, 8]], keys)
    measured = ns["measured"]
    cascade, cascade_half = measured["cascaded"]
    alone, alone_half = measured["each frame independent"]
    assert cascade + cascade_half < alone - alone_half  # beyond both 95% intervals
    assert alone > 2 * cascade
    assert measured["real clips"][0] < 0.05
    assert ns["one_spot"](cascaded).double().mean() > 0.6  # most frames are good frames
    assert "video_cascade.svg" in ran("ch11/video_cascade.py").figures
