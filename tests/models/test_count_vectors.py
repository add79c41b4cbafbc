import numpy as np

from logbert.models.count_vectors import count_matrix, idf_weights, unique_rows


def test_count_matrix_counts_known_keys_and_pools_unseen_ones():
    vocab = np.array([2, 5, 9])
    sessions = [np.array([5, 5, 2]), np.array([7, 9, -1]), np.array([], dtype=np.int64)]
    expected = [[1, 2, 0, 0], [0, 0, 1, 2], [0, 0, 0, 0]]
    np.testing.assert_array_equal(count_matrix(vocab, sessions), expected)
    assert count_matrix(vocab, []).shape == (0, 4)


def test_idf_weights_unseen_column_highest_and_finite():
    matrix = np.array([[1, 1, 0], [1, 0, 0], [1, 0, 0]], dtype=float)
    weights = idf_weights(matrix)
    assert np.all(np.isfinite(weights))
    assert weights[0] < weights[1] < weights[2]


def test_unique_rows_reconstructs_the_matrix():
    matrix = np.array([[1, 0], [0, 1], [1, 0]], dtype=float)
    distinct, inverse, counts = unique_rows(matrix)
    np.testing.assert_array_equal(distinct[inverse], matrix)
    assert sorted(counts) == [1, 2]
