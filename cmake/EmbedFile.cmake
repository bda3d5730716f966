# EmbedFile.cmake - turns a file into a C source defining
#   const unsigned char NAME[]; const unsigned long NAME_len;
# Run as: cmake -DIN=file -DOUT=file.c -DNAME=sym -P EmbedFile.cmake
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR len "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}" "/* Generated from ${IN} by cmake/EmbedFile.cmake; do not edit. */\n"
     "extern const unsigned char ${NAME}[];\nextern const unsigned long ${NAME}_len;\n"
     "const unsigned char ${NAME}[] = {\n${bytes}0x00};\n"
     "const unsigned long ${NAME}_len = ${len}ul;\n")
