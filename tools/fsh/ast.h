/* ast.h: fsh's syntax tree, plain data (printed by `fsh -n`) */
#ifndef FSH_AST_H
#define FSH_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct pos {
	int line, col;		/* 1-based; col counts bytes */
};

enum part_type {
	PART_LIT,		/* text */
	PART_PARAM,		/* $name, ${name} */
	PART_CMDSUB,		/* $(...), `...` */
	PART_ARITH,		/* $((...)) */
};

struct node;

struct part {
	enum part_type type;
	bool quoted;		/* inside '...', "..." or after a backslash */
	char *text;		/* literal text, the parameter's name, or the
				 * command substitution's source */
	char op[3];		/* ${name OP arg}: "-" ":-" "=" ":=" "+" ":+"
				 * "?" ":?" "%" "%%" "#" "##", or "L" for
				 * ${#name}; "" none */
	struct word *arg;	/* OP's word, or $((...))'s text */
	struct node *cmd;	/* a command substitution's commands */
	struct part *next;
};

struct word {
	struct pos pos;
	struct part *parts;
	struct word *next;
};

enum redir_op {
	REDIR_IN,		/* <  */
	REDIR_OUT,		/* >, >| */
	REDIR_APPEND,		/* >> */
	REDIR_RDWR,		/* <> */
	REDIR_DUP_IN,		/* <& */
	REDIR_DUP_OUT,		/* >& */
	REDIR_HEREDOC,		/* <<, <<- */
};

struct redir {
	struct pos pos;
	int fd;			/* the fd redirected */
	enum redir_op op;
	struct word *target;	/* file, fd number, or here-doc delimiter */
	struct word *body;	/* here-doc text, once read */
	bool strip_tabs;	/* <<- */
	bool clobber;		/* >|: even under set -C */
	bool quoted;		/* here-doc delimiter was quoted: no expansion */
	char *raw;		/* here-doc: the body as written, with its end */
	size_t raw_at;		/* ... and its offset in the input */
	struct redir *next;
};

struct assign {
	char *name;
	struct word *value;	/* NULL: empty */
	struct assign *next;
};

enum node_type {
	NODE_LIST,		/* a ; b & c */
	NODE_AND,		/* a && b */
	NODE_OR,		/* a || b */
	NODE_PIPELINE,		/* ! a | b */
	NODE_SIMPLE,		/* A=1 cmd args <redirs */
	NODE_BRACE,		/* { list; } */
	NODE_IF,		/* if cond; then a; elif ...; else b; fi */
	NODE_WHILE,		/* while cond; do body; done */
	NODE_UNTIL,		/* until cond; do body; done */
	NODE_FOR,		/* for name in words; do body; done */
	NODE_SUBSHELL,		/* ( list ) */
	NODE_CASE,		/* case word in pattern) list;; esac */
	NODE_FUNC,		/* name() compound */
};

struct node {
	enum node_type type;
	struct pos pos;
	struct redir *redirs;	/* commands (simple and compound) only */
	char *src;		/* the text as written (commands, pipelines,
				 * and-or lists), here-doc bodies aside */
	size_t src_end;		/* offset just past src in the input */
	int refs;		/* holders beyond the tree (functions) */
};

struct list_item {
	struct node *node;	/* an and-or list */
	bool background;	/* ended by & */
	struct list_item *next;
};

struct list {
	struct node node;
	struct list_item *items;
};

struct binop {
	struct node node;
	struct node *left, *right;
};

struct pipeline {
	struct node node;
	bool bang;
	size_t n;
	struct node **cmds;
};

struct simple {
	struct node node;
	struct assign *assigns;
	struct word *words;
};

struct brace {		/* NODE_BRACE, NODE_SUBSHELL */
	struct node node;
	struct node *body;
};

struct if_clause {
	struct node node;
	struct node *cond, *then, *otherwise;	/* otherwise: NULL, list or if */
};

struct loop {
	struct node node;	/* NODE_WHILE or NODE_UNTIL */
	struct node *cond, *body;
};

struct for_clause {
	struct node node;
	char *name;
	bool has_in;		/* no "in": "$@" */
	struct word *words;
	struct node *body;
};

struct case_item {
	struct word *patterns;
	struct node *body;	/* NULL: empty */
	struct case_item *next;
};

struct case_clause {
	struct node node;
	struct word *subject;
	struct case_item *items;
};

struct func {
	struct node node;
	char *name;
	struct node *body;	/* a compound command */
};

/* Free n, or drop one of its extra holders (refs). */
void ast_free(struct node *n);
void word_free(struct word *w);
void redir_free(struct redir *r);
void ast_print(FILE *f, const struct node *n, int depth);
void word_print(FILE *f, const struct word *w);

#endif
