// One LabelEncoder fit and transform, through its own header (it encodes labels, not a matrix of T).
#include <kestrel/preprocessing/label_encoder.hpp>

int main() {
    const kestrel::Labels y = kestrel::Labels::LinSpaced(200, 0, 199).unaryExpr([](int i) { return i % 3 * 7; });
    kestrel::preprocessing::LabelEncoder<> encoder;
    encoder.fit(y);
    const kestrel::Labels codes = encoder.transform(y);
    return codes.size() == y.size() ? 0 : 1;
}
