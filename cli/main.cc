#include "cli/app.h"

int main(int argc, char** argv) { return sz::cli::Run(argc, argv); }
