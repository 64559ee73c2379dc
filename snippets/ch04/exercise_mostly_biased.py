"""Exercise: training images where the background matches the label 97% and 90% of
the time (background.py trained on 100%).

Needs background.py (this chapter's example) beside it."""

from background import accuracy, make_images, train

if __name__ == "__main__":
    test_images, test_labels = make_images(1000, background_matches_label=0.5, seed=2)
    swapped_images, swapped_labels = make_images(500, background_matches_label=0.0, seed=3)
    print("background matches label  test: random background  test: swapped background")
    results = {}
    for share in [0.97, 0.9]:
        images, labels = make_images(1000, background_matches_label=share, seed=0)
        model = train(images, labels)
        results[share] = (accuracy(model, test_images, test_labels),
                          accuracy(model, swapped_images, swapped_labels))
        print(f"{share:24.0%}{results[share][0]:25.1%}{results[share][1]:26.1%}")
