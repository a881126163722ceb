// A minimal program on the public headers, built three ways by run.sh.
#include <quaver/quaver.hpp>

#include <cstdio>

int main() {
    std::printf("quaver %s\n", quaver::version_string);
    return 0;
}
