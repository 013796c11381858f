// Floor: an empty main with no include at all (driver, compiler start-up, link).
int main() {}
